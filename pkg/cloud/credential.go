package cloud

import (
	"sync"

	"github.com/aliyun/credentials-go/credentials"
)

// lockedCredential serialises access to a credentials-go credential: its
// default provider chain caches the provider it found without a lock, and
// wsdeploy signs requests from several goroutines.
type lockedCredential struct {
	mu sync.Mutex
	c  credentials.Credential
}

// Locked wraps c for concurrent use.
func Locked(c credentials.Credential) credentials.Credential {
	if c == nil {
		return nil
	}
	if _, ok := c.(*lockedCredential); ok {
		return c
	}
	return &lockedCredential{c: c}
}

func (l *lockedCredential) GetAccessKeyId() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetAccessKeyId()
}

func (l *lockedCredential) GetAccessKeySecret() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetAccessKeySecret()
}

func (l *lockedCredential) GetSecurityToken() (*string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetSecurityToken()
}

func (l *lockedCredential) GetBearerToken() *string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetBearerToken()
}

func (l *lockedCredential) GetType() *string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetType()
}

func (l *lockedCredential) GetCredential() (*credentials.CredentialModel, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.c.GetCredential()
}
