package fakecloud

// The world's CA and the certificates HTTPS listeners present.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

// dpCA is the parsed world CA.
type dpCA struct {
	certPEM string
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
}

// worldCA returns the world's CA, creating it (in the world, so every process
// sharing the state file and every restart uses the same) on first use.
func (s *Server) worldCA() (*dpCA, error) {
	if st := s.Snapshot(); st.DataPlane.CA != nil {
		return parseCA(*st.DataPlane.CA)
	}
	var ca DataPlaneCA
	err := s.Update(func(st *State) error {
		if st.DataPlane.CA == nil {
			c, err := newCA(st.Region)
			if err != nil {
				return err
			}
			st.DataPlane.CA = c
		}
		ca = *st.DataPlane.CA
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fakecloud: world CA: %w", err)
	}
	return parseCA(ca)
}

// newKeyAndSerial makes a certificate's P-256 key and random 120-bit serial
// number.
func newKeyAndSerial() (*ecdsa.PrivateKey, *big.Int, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, nil, err
	}
	return key, serial, nil
}

func newCA(region string) (*DataPlaneCA, error) {
	key, serial, err := newKeyAndSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "wsdeploy fakecloud CA (" + region + ")", Organization: []string{"wsdeploy fakecloud"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &DataPlaneCA{
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})),
	}, nil
}

func parseCA(ca DataPlaneCA) (*dpCA, error) {
	cb, _ := pem.Decode([]byte(ca.CertPEM))
	kb, _ := pem.Decode([]byte(ca.KeyPEM))
	if cb == nil || kb == nil {
		return nil, errors.New("fakecloud: the world's CA in the state file is not PEM")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("fakecloud: world CA: %w", err)
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("fakecloud: world CA key: %w", err)
	}
	return &dpCA{certPEM: ca.CertPEM, cert: cert, key: key}, nil
}

// certCache issues and keeps leaf certificates by name set.
type certCache struct {
	ca    *dpCA
	mu    sync.Mutex
	certs map[string]*tls.Certificate
}

// get returns a certificate for names (DNS names; IP literals become IP
// SANs), signed by the CA.
func (c *certCache) get(names []string) (*tls.Certificate, error) {
	key := strings.Join(names, ",")
	c.mu.Lock()
	defer c.mu.Unlock()
	if crt := c.certs[key]; crt != nil {
		return crt, nil
	}
	crt, err := c.issue(names)
	if err != nil {
		return nil, err
	}
	if c.certs == nil {
		c.certs = map[string]*tls.Certificate{}
	}
	c.certs[key] = crt
	return crt, nil
}

func (c *certCache) issue(names []string) (*tls.Certificate, error) {
	key, serial, err := newKeyAndSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if tmpl.NotAfter.After(c.ca.cert.NotAfter) {
		tmpl.NotAfter = c.ca.cert.NotAfter
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	if len(tmpl.DNSNames) > 0 {
		tmpl.Subject.CommonName = tmpl.DNSNames[0]
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.ca.cert, &key.PublicKey, c.ca.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der, c.ca.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// certNames are the names an HTTPS listener's certificate carries: the DNS
// records that point at its load balancer (a CNAME to the ALB's DNS name, an
// A record of the CLB's address), the ALB's own DNS name, and localhost and
// 127.0.0.1 (where the data plane really listens).
func certNames(st *State, lbType, lbID string) []string {
	target := ""
	switch lbType {
	case "alb":
		if lb := st.ALB.loadBalancer(lbID); lb != nil {
			target = lb.DNSName
		}
	case "clb":
		if lb := st.CLB.loadBalancer(lbID); lb != nil {
			target = lb.Address
		}
	}
	var names []string
	if target != "" {
		for _, d := range st.DNS.Domains {
			for _, rec := range d.Records {
				if rec.Status == "DISABLE" || !strings.EqualFold(strings.TrimSuffix(rec.Value, "."), target) {
					continue
				}
				if rec.Type != "CNAME" && rec.Type != "A" {
					continue
				}
				name := d.Name
				if rec.RR != "@" {
					name = rec.RR + "." + d.Name
				}
				names = append(names, name)
			}
		}
		if lbType == "alb" {
			names = append(names, target)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	return append(names, "localhost", "127.0.0.1")
}
