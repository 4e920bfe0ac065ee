// Package templates holds the files wsdeploy writes for users: the chat app's
// page and its deployment files under app/ (systemd units, redis.conf and the
// setup scripts for the app servers and the Redis server).
package templates

import "embed"

// App is the app/ folder: index.html (the page wschat serves), the systemd
// units, redis.conf and the setup scripts. It is read-only.
//
//go:embed app
var App embed.FS //nolint:gochecknoglobals // go:embed needs a package variable
