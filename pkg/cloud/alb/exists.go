package alb

import (
	"context"
	"errors"
	"fmt"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// existing looks, after a create of spec met a listener on its port
// (createErr), for that listener: see cloud.AwaitListener. One still being
// created, changed or deleted (Provisioning, Configuring, Deleting) is waited for, paced as a
// listener create's job; the stack's is returned with its certificate
// (which lists do not carry), for the engine to compare.
func (x Executor) existing(ctx context.Context, lbID string, spec resource.Listener, createErr error, p cloud.Progress) error {
	err := cloud.AwaitListener(ctx, x.c.api.Config.Waits, "alb/CreateListener", lbID, spec, createErr,
		func(ctx context.Context) ([]resource.Listener, error) { return x.c.ListListeners(ctx, lbID) },
		func(status string) bool {
			return status == "Provisioning" || status == "Configuring" || status == "Deleting"
		}, p)
	var ex *cloud.ListenerExistsError
	if errors.As(err, &ex) && ex.Listener.Protocol == "HTTPS" {
		cert, cerr := x.c.ListenerCertificate(ctx, ex.Listener.ID)
		if cerr != nil {
			return errors.Join(createErr, fmt.Errorf("read the certificate of listener %s: %w", ex.Listener.ID, cerr))
		}
		ex.Listener.CertificateID = cert
	}
	return err
}
