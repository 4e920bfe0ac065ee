package demo

import (
	"bytes"
	"fmt"
	"net/url"

	"gopkg.in/yaml.v3"
)

// DemoWschatVersion is the wschat "release" the demo's stack names: the
// demo's runtime runs this binary's own wschat, whatever the version.
const DemoWschatVersion = "v0.0.0-demo"

// DeployStackYAML is the stack file src with app.deploy set to what the demo
// deploys through Cloud Assistant: wschat on every backend, and the demo's
// Redis at redisURL as a managed Redis (its password, if any, left out: the
// demo's runtime gives wschat the demo's own URL).
func DeployStackYAML(src []byte, redisURL string) ([]byte, error) {
	u, err := url.Parse(redisURL)
	if err != nil {
		return nil, fmt.Errorf("the demo's Redis URL does not parse: %w", err)
	}
	u.User = nil
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the stack file is not a YAML mapping")
	}
	var deploy yaml.Node
	if err := deploy.Encode(map[string]any{
		"wschat": map[string]string{"version": DemoWschatVersion},
		"redis":  map[string]string{"url": u.String()},
	}); err != nil {
		return nil, err
	}
	app := mapValue(doc.Content[0], "app")
	if app == nil || app.Kind != yaml.MappingNode {
		app = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		setKey(doc.Content[0], "app", app)
	}
	setKey(app, "deploy", &deploy)
	var b bytes.Buffer
	b.WriteString("# Written by wsdeploy demo: the stack it runs, with app.deploy added (the demo's Cloud Assistant runtime acts out the commands).\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}
