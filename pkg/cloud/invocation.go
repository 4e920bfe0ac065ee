package cloud

// Invocation is how a Cloud Assistant command ended on one instance.
type Invocation struct {
	InvokeID string
	Status   string // Success, Failed, Timeout, …
	ExitCode int64
	Output   string // decoded; what the instance printed (Cloud Assistant keeps the last 24 KB)
	// ErrorCode and ErrorInfo are Cloud Assistant's reason when the command
	// could not run (e.g. the agent went away).
	ErrorCode, ErrorInfo string
}

// OK reports whether the command succeeded.
func (i Invocation) OK() bool { return i.Status == "Success" && i.ExitCode == 0 }

// Run is one Cloud Assistant invocation an instance has on record
// (DescribeInvocations): its ID and the command it ran, the content as sent
// (secret references unresolved).
type Run struct {
	InvokeID, Name, Content string
}
