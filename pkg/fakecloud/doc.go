// Package fakecloud is a local fake of the Alibaba Cloud APIs wsdeploy uses
// (ALB 2020-06-16, CLB/SLB 2014-05-15, Alidns 2015-01-09, ECS 2014-05-26),
// the STS 2015-04-01 that issues temporary credentials for them, and the
// OOS 2019-06-01 secret parameters Cloud Assistant commands refer to.
// The real Go SDKs talk to it over HTTP, unchanged: point
// openapiutil.Config{Endpoint: "127.0.0.1:PORT", Protocol: "HTTP"} at it.
// Clients that sign the older way (RPC signature v1: the aliyun CLI,
// Terraform's alicloud provider, github.com/aliyun/alibaba-cloud-sdk-go,
// scripts) work too: `aliyun --endpoint 127.0.0.1:PORT --insecure ...`.
// Every test of wsdeploy runs against it, so it is held to one rule: it must
// never accept what the real cloud rejects. Where the real behaviour is not
// known, it takes the stricter choice and lists it below.
//
// # What is faithful
//
//   - Transport: RPC style, POST or GET /, routing on the x-acs-version and
//     x-acs-action headers (ACS3) or the Version and Action parameters (v1)
//     (action names collide across products), parameters merged from the URL
//     query and the form body.
//   - Signing: ACS3-HMAC-SHA256 is verified from scratch (auth.go): canonical
//     query rebuilt from the parsed query, signed headers taken from the
//     Authorization header, x-acs-content-sha256 checked against the body,
//     clock skew and nonce replay rejected. Tests sign with the real SDK.
//   - The RPC signature v1 is verified from scratch too (auth_v1.go):
//     HMAC-SHA1 with key secret+"&" over Method&%2F&enc(sorted enc(name)=enc(value)
//     pairs of every query and form parameter but Signature), Base64. Tests
//     sign with a signer of their own, pinned to the vendor's worked example
//     (auth_v1_test.go), and the aliyun CLI 3.4.11 was run against it.
//     The signing parameters (AccessKeyId, Signature, SignatureMethod,
//     SignatureVersion, SignatureNonce, SignatureType, Timestamp, Format,
//     SecurityToken) and the routing parameters (Action, Version) are not API
//     parameters: handlers, the request log and fault rules see the same
//     parameters for a v1 call as for the same ACS3 call.
//   - Answers: 200 + application/json;charset=utf-8 + x-acs-request-id, body
//     built from the SDK's own ...ResponseBody structs (field names cannot
//     drift) with RequestId filled in. Errors carry the real status and the
//     real body {RequestId, HostId, Code, Message, Recommend}, which the SDK
//     turns into *tea.SDKError exactly as for the real cloud.
//   - List and struct parameters travel only in flat form, the style every
//     Array/Struct parameter of the served actions has in the vendor's API
//     metadata (paramstyle.go): Servers.1.ServerId, HealthCheckConfig.
//     HealthCheckPath, ServerIds.1. Sent whole (JSON text, or empty), as the
//     aliyun CLI 3.4.11 sends ALB --Servers '[...]' or --HealthCheckConfig
//     '{...}': 400 Invalid<Name> "Specified parameter <Name> is not valid.
//     Illegal parameter serialization format. Flat format is required.",
//     before the handler runs (real code and message: aliyun-cli issues
//     #1393 and #420; InvalidTag and InvalidServerIds in
//     alibabacloud-python-sdk#6). Which parameters are lists or structs is read
//     from the ACS3 SDK's request type for the action; none of the served
//     actions has a parameter of style json (the SDK would send it as a
//     <Name>Shrink JSON string), so no JSON text is ever decoded. CLB's
//     BackendServers and Tags are String parameters holding JSON by the API's
//     own definition (DescribeLoadBalancers Tags) and are read as such by
//     their handlers.
//   - Real parameter names, ranges, defaults and pagination (ECS
//     MaxResults/NextToken with the "below 10 counts as 10" rule; Alidns
//     PageNumber/PageSize with per-action maxima; ALB NextToken, 20 per page;
//     CLB DescribeLoadBalancerListeners MaxResults 1-100 default 20 +
//     NextToken, DescribeLoadBalancers PageNumber/PageSize).
//   - NextToken values are opaque (32 hex digits) and bound to the query that
//     produced them (token.go): product, action and every parameter except
//     NextToken, MaxResults, PageNumber, PageSize and the signature's common
//     parameters. A token used with other filters or another action, a
//     forged token or a decimal offset is 400 InvalidParameter.NextToken (the
//     code the ECS, ALB-family and resource-sharing error tables list for a
//     bad token). Changing MaxResults between pages is allowed. Tokens are
//     stateless (an HMAC keyed by State.PagingKey, made at random once per
//     world and kept in the state file), so every process sharing the file
//     reads them.
//   - A failed call changes nothing: write handlers run on the live state, and
//     the transport restores a copy taken before the call if it fails.
//   - State: with Options.StatePath the JSON file is the source of truth;
//     each request takes an exclusive flock on <StatePath>.lock, reloads the
//     file if another process replaced it, runs and saves (temp + rename), so
//     several processes share one world.
//
// # Layout
//
// The transport: server.go (Server, New, Serve, ServeHTTP), router.go (the
// route table), auth.go (ACS3), auth_v1.go (v1 and parameter routing), faults.go, latency.go,
// profile.go (with health_model.go), calls.go, control.go,
// persist*.go, seed.go, testserver.go. What every handler shares:
// request.go (the Request and its typed getters), errors.go (APIError and
// the generic codes), paging.go (MaxResults/NextToken and
// PageNumber/PageSize), tags.go (Tag.N, TagResources, ListTagResources),
// response.go (filling SDK response structs), state.go (the world). Then one
// group of files per product, each over its typed part of State: alb.go
// (registration, the behaviour notes) and alb_*.go by object, with
// alb_jobs.go holding the async-write pattern every ALB write goes through;
// clb.go and clb_*.go likewise; dns.go and dns_records.go; ecs.go; sts.go
// (actions, checkSecurityToken), sts_oidc.go (the token check) and
// sts_state.go (roles, OIDC providers, issued credentials, their seed);
// ecs_commands.go, ecs_command_defs.go and ecs_invocations.go (Cloud Assistant), ecs_tags.go (ECS tags) and
// faults_command.go (how commands end); oos.go (secret parameters).
//
// # Adding an action
//
//  1. In the product's file for the object (alb_listeners.go, clb_tags.go,
//     dns_records.go, ...) write func prodAction(st *State, r *Request) (any,
//     error). Read parameters with the Request's getters (Required,
//     RequiredInt, IntRange, OptInt, Bool, OptBool, Enum, OneOf, List,
//     ListMax, Structs, Sub), tags with tagParams, pages with tokenPage or
//     numberPage; validate everything before mutating; return errors as
//     *APIError (Errorf, MissingParameter, InvalidParameter) with the real
//     code and HTTP status. An ALB write goes through albAsync (or
//     albGroupWrite/albListenerOp), which handles ClientToken, DryRun and the
//     job.
//  2. Return the SDK's ...ResponseBody struct (leave RequestId nil).
//  3. Register it in registerX (alb.go, clb.go, dns.go, ecs.go):
//     reg.add(VersionX, "Action", write, fn). write marks it as a write in
//     the request log; an ALB write that answers a JobId goes in albJobWrites.
//  4. Test it with the real SDK client against NewTestServer, and list every
//     guess about real behaviour below.
//
// An unregistered action answers 404 InvalidAction.NotFound with a message
// naming the file to add it to.
//
// # Fault injection (faults.go)
//
// Faults are data: a Fault rule matches product (alb, slb or its alias clb,
// alidns, ecs), action and request parameters, and delays the call, fails it
// with an error code, runs it and loses the answer (CommitThenFail: the
// change is kept, the client gets an error or, with Drop, a closed TCP
// connection, which the SDK reports as a transport error), or lets an ALB
// write succeed and makes its job fail (JobFails). After, Times and a
// seeded Probability choose which matching calls it fires on. Rules come from
// Options.Faults (with Options.FaultSeed), SetFaults/SetFaultSet/AddFaults,
// `wsdeploy fakecloud --faults faults.yaml [--fault-seed N]` (ParseFaults:
// strict YAML or JSON, an unknown key is an error naming its line, an action
// the fake does not implement is refused), or PUT /_fake/faults while it runs.
//
//   - Faults and latency apply after routing and signature verification: an
//     unsigned or wrongly signed call is rejected as always and never counted.
//   - Injected errors have the real body and, when HTTPStatus is 0, the real
//     status (DefaultErrorStatus holds the table): 400 for Throttling.User,
//     Throttling.Api, Throttling, SystemBusy (449 on CLB), IncorrectStatus.*,
//     Conflict.Lock, IdempotenceProcessing, OperationBusy,
//     ServiceIsConfiguring, VServerGroupProcessing; 503 ServiceUnavailable;
//     500 InternalError. Any other code needs an explicit httpStatus.
//   - Each rule draws from its own random source, seeded by the fault seed
//     and its index, so one rule's sequence does not depend on other rules'
//     traffic; the same seed and the same calls in the same order fail the
//     same calls. Concurrent clients make the order, and so the outcome, vary.
//   - A delay is waited out with no lock held. If the client goes away (or the
//     server shuts down) during it, the call does not run; it is logged with
//     Canceled and status 0. Drop without CommitThenFail closes the
//     connection before the handler runs (nothing changes).
//   - With CommitThenFail on a call the handler rejects, nothing changes and
//     the client still gets the injected answer (Committed is false).
//   - Every call is logged like any other; Call.Injected marks the ones a rule
//     fired on, Call.Faults names the rules, Call.Committed and Call.Dropped
//     say what happened to a lost response (a dropped call has status 0).
//   - JobFails (product alb; code required, message optional, default the
//     table's message for a known code) matches only the ALB writes that
//     answer a JobId, and UpdateLoadBalancerEdition, whose work goes on in
//     the background though it answers none (albJobWrites in alb.go), never
//     reads or tagging. The call
//     succeeds and is logged with Injected; its job is Processing for
//     AsyncDuration, then Failed with ErrorCode/ErrorMessage, and the change
//     is undone (a created resource goes, a changed or deleted one comes
//     back, keeping the tags it has by then; a created ALB instance stays,
//     in status CreateFailed: alb.go). Stricter choices, as the
//     references are silent: the rollback itself, and a repeat with the same
//     ClientToken answering the failed JobId again. The rollback happens when
//     the world settles, at the first ALB call after the job's end (the one
//     that sees Failed at the latest); Snapshot shows the world as the last
//     call left it. A DryRun or a ClientToken replay starts no job, so the
//     rule counts it but nothing fails.
//   - Health (product alb or slb; faults_health.go) matches only the
//     product's health read (GetListenerHealthStatus, DescribeHealthStatus),
//     which succeeds and reports the rule's server (or every server) as
//     Unhealthy with Reason.ReasonCode (default CONNECT_FAILED) or Initial;
//     on CLB as abnormal or unavailable (CLB gives no reason, so reasonCode
//     on slb is refused). It applies only where the load balancer checks:
//     health check on, a server that is not Initial or Unused, a CLB listener
//     that is running. With RESPONSE_MISMATCH, ExpectedResponse is the
//     server group's HealthCheckCodes upper-cased as the SDK's example writes
//     them (HTTP_2xx,HTTP_3xx; the case the real API uses is unconfirmed)
//     and ActualResponse the rule's.
//   - Counters (Faults(), GET /_fake/faults) and the random sources live in
//     the process. With Options.StatePath several processes share one world
//     but each has its own rules and counters: "times: 2" means twice per
//     process.
//
// # Latency (latency.go)
//
// Options.Latency (off by default) adds Base plus a seeded random part of
// Jitter to every authenticated call, optionally per product/action, for
// benchmarks. It is the per-call round trip; how long asynchronous work takes
// (ALB jobs and transitional states, CLB listener starting/configuring,
// vServer group busy windows) is Options.AsyncDuration. Combine them:
// `wsdeploy fakecloud --latency 50ms --latency-jitter 20ms --async-duration 2s`.
//
// # Profiles (profile.go, health_model.go)
//
// Options.Profile (`wsdeploy fakecloud --profile`) says how slow and flaky
// the fake is. The default, fast ("" or "fast"), is ideal, for unit tests:
// async work takes AsyncDuration (1 s), jobs fail only through JobFails
// rules, a backend is healthy once attached, reads reflect writes at once
// and nothing is throttled unless a fault rule says so. The realistic
// profile models what the facts sheet and the vendor docs say of the real
// cloud. Every duration in it is multiplied by Options.TimeScale
// (`--time-scale`, default 1; 0.05 runs the same shape 20 times faster),
// rate limits excepted. Its random draws come from sources seeded by
// FaultSeed (`--fault-seed`), one for durations (drawn by writes only) and
// one for job failures (drawn by ALB job writes only), so a run's draws do
// not depend on how often it reads: the same seed and the same writes in the
// same order give the same run. AsyncDuration does not apply: New refuses
// it with this profile (and `wsdeploy fakecloud` refuses --async-duration
// with --profile realistic, pointing at --time-scale), rather than ignore it.
//
//   - Async durations, drawn uniformly per call (seconds, before scaling):
//     ALB CreateServerGroup, UpdateServerGroupAttribute, DeleteServerGroup
//     2-10; Add/Remove/Replace/UpdateServerGroupServers... 3-20;
//     CreateListener, UpdateListenerAttribute, DeleteListener 5-30;
//     Start/StopListener 3-15. CLB StartLoadBalancerListener and
//     Set{HTTP,HTTPS}ListenerAttribute 1-5; vServer group writes
//     (VServerGroupProcessing window) 0.5-3. Any other write 1-3. The ranges
//     are the facts sheet's (ALB "seconds to about a minute", Terraform's 5 s
//     job polls, the ingress controller's 15 s listener and 60 s server
//     waits; CLB "a few seconds" to start): the exact spread is unconfirmed.
//   - Job failures: 5% of ALB job writes (those in albJobWrites) succeed and
//     their job ends Failed, as with a JobFails rule (the change is undone),
//     with ErrorCode SystemBusy or Conflict.Lock: only transient codes (the
//     resource or the instance was busy), which a careful client gets past
//     by trying again with a new ClientToken. A failed CreateLoadBalancer is
//     the exception: its instance stays, in status CreateFailed (as the ALB
//     SDK documents), and must be deleted; trying again makes another one. The call is logged with
//     Injected and Faults ["realistic"]. A JobFails rule that fires decides
//     instead. The real share and codes are unconfirmed.
//   - Health: checks start when a backend's Adding ends or its listener's
//     last transition (create, start, change) ends, whichever is later, and
//     decide after HealthCheckInterval × HealthyThreshold (UnhealthyThreshold
//     for an instance that is down; defaults 2 s × 3), scaled. Until then ALB
//     GetListenerHealthStatus lists the backend as Initial and CLB
//     DescribeHealthStatus as unavailable. Stricter: a listener change
//     restarts the checks of all its backends. A data plane that probes real
//     backends replaces albSimulatedHealth/clbSimulatedHealth, not the
//     handlers.
//   - Read-after-write: an object created less than 1-3 s ago (scaled; drawn
//     per object from its ID and the seed) is missing from lists (ALB
//     ListServerGroups, ListListeners, ListAsynJobs; CLB DescribeVServerGroups,
//     DescribeLoadBalancerListeners) and, the stricter choice (the references
//     do not say reads by ID are consistent), from reads by ID too: ALB
//     GetListenerAttribute and ListServerGroupServers answer 404
//     ResourceNotFound.*, CLB DescribeVServerGroupAttribute 404
//     InvalidParameter and Describe{HTTP,HTTPS}ListenerAttribute 400
//     InvalidParameter "The specified resource does not exist.", exactly as
//     for a missing object. Writes by ID see it at once (the IDs a create
//     answers are usable). Tag lists (ListTagResources), DescribeHealthStatus,
//     Alidns and ECS are not affected; nor are changes and deletions (they
//     show their own transitional states, as in the fast profile).
//   - Throttling: a token bucket per product and action, on the wall clock
//     (it limits the client's real call rate, so it is not scaled), refilled
//     at the documented rate and holding one second's share at most (at least
//     one call): the references give "N per window", not how bursts count, so
//     the fake takes the stricter reading. Beyond it: 400 Throttling.User
//     "Request was denied due to user flow control." (status unconfirmed; the
//     SDK keys on the code). Rates: ALB and CLB writes 200/60 s, reads
//     600/60 s, GetListenerHealthStatus and DescribeHealthStatus 10/1 s (the
//     SLB family's published quotas for NLB and GWLB; ALB's and CLB's own
//     tables were not found); Alidns 20/1 s (community notes); ECS not
//     throttled. A throttled call changes nothing and draws nothing.
//   - The random sources and the buckets live in the process: with
//     StatePath, several processes share the world but each throttles and
//     draws on its own.
//
// # Control endpoints (control.go)
//
// Paths under /_fake/ are the test harness' side door into a running fake.
// They are NOT signed (anyone who can reach the port can use them; the fake
// listens on localhost by default), are not Alibaba APIs and are not written
// to the request log:
//
//	GET    /_fake/faults                 rules with matched/fired counters, and the seed
//	PUT    /_fake/faults                 replace the rules (YAML or JSON; a seed in the body replaces the seed)
//	POST   /_fake/faults                 append rules, keeping the others' counters
//	DELETE /_fake/faults                 remove every rule
//	GET    /_fake/calls                  the request log as a JSON array of Call
//	GET    /_fake/calls?inflight=1       the calls received and not answered yet (delayed or
//	                                     running), oldest first, with "inFlight": true
//	DELETE /_fake/calls                  empty the request log
//	GET    /_fake/state                  the world (State) as JSON, access key secrets redacted
//	PUT    /_fake/instances/{id}/health  body healthy or unhealthy: the backend's health
//	                                     as ALB GetListenerHealthStatus and CLB DescribeHealthStatus see it
//	                                     (for backends without a mapped port)
//	PUT    /_fake/instances/{id}/ports   body {"5000": "127.0.0.1:5101"}: where the instance's ports
//	                                     really listen ({} unmaps them); persisted like the world
//	GET    /_fake/dataplane              {"listeners":[{lbType,lbId,listenerId,protocol,port,address}],"caPath"}
//	GET    /_fake/ca.pem                 the world's CA certificate (HTTPS listeners' issuer)
//
// # Data plane (dataplane*.go)
//
// With Options.DataPlane (`wsdeploy fakecloud` sets it; --data-plane=false
// turns it off) Serve also serves the load balancers. Every ALB listener
// that is Running (not Provisioning, not being deleted) and every CLB
// listener that is running (configuring included, not starting) listens on
// 127.0.0.1 on an ephemeral port (the one the world still lists for it, as
// after a crash, if it is free) and proxies to the backends whose ECS instance maps the backend's
// port (seed "ports: {5000: 127.0.0.1:5101}", PUT /_fake/instances/{id}/ports,
// Server.SetInstancePorts). A reconcile loop polls the world every 50ms;
// stopping or deleting a listener closes its port and its connections.
//
//   - Who serves: the world has one data plane. Without a state file, the
//     Server that Serves it. With one, the process holding an exclusive
//     flock on <StatePath>.dataplane.lock (taken without waiting and retried
//     every tick; the kernel frees it when the process dies), so another
//     process sharing the file (wsdeploy --local commands, which do not set
//     DataPlane, or a second fakecloud) never opens ports, and takes over if
//     the owner stops. The owner publishes the addresses and the health
//     verdicts into the world (State.DataPlane), so GET /_fake/dataplane and
//     the health APIs answer the same in every process; it withdraws them
//     when it stops. A crashed owner leaves them until the next owner
//     replaces them.
//   - HTTP and WebSocket pass through (HTTP/1.1 only: ALPN offers http/1.1,
//     as WebSocket needs it); the client's Host is kept. Forwarding headers
//     follow the listener's switches, with their real defaults (only
//     X-Forwarded-For on): ALB XForwardedForConfig XForwardedForEnabled
//     (X-Forwarded-For, client address appended; ProcessingMode remove drops
//     the header), ...ProtoEnabled (X-Forwarded-Proto), ...SLBPortEnabled
//     (X-Forwarded-Port, the listener's port), ...SLBIdEnabled (SLB-ID),
//     ...HostEnabled (X-Forwarded-Host), ...ClientSrcPortEnabled
//     (X-Forwarded-Client-srcport); CLB XForwardedFor, XForwardedFor_proto,
//     XForwardedFor_SLBPORT, XForwardedFor_SLBIP (SLB-IP), XForwardedFor_SLBID,
//     XForwardedFor_ClientSrcPort. With X-Forwarded-For off the client's
//     header passes unchanged; other X-Forwarded-* headers a client sends are
//     dropped (stricter). Header aliases and the client-certificate headers
//     are not applied.
//   - Scheduling: smooth weighted round robin for every Scheduler value (wrr,
//     wlc, rr, Wrr, Wlc, Sch: unconfirmed, the stricter simple choice).
//     Weight 0, an instance not Running, an ALB server still being added, and
//     a backend whose health check has not passed get no new connections.
//     An ALB listener forwards to the servers of all its default server
//     groups; the first group's sticky session and draining apply.
//   - Idle timeout: a client connection with no byte either way for the
//     listener's IdleTimeout (ALB default 15, CLB default 15) is closed,
//     WebSocket or keep-alive; while a plain request is in flight the
//     RequestTimeout (default 60) bounds it instead and ends it with 504
//     Gateway Time-out. A backend that refuses or breaks: 502.
//   - No routable backend: ALB 503 "503 Service Temporarily Unavailable",
//     CLB 502 "502 Bad Gateway", each as a small nginx-style HTML page
//     (status codes per the vendors' troubleshooting pages; the bodies'
//     exact bytes are unconfirmed).
//   - Health checks run only for backends with a mapped port and with the
//     check on: per ALB server group (HealthCheckProtocol HTTP/HTTPS/TCP,
//     gRPC probed as HTTP; Path, Method, Host, Codes, ConnectPort, Interval,
//     Timeout, thresholds) or per CLB listener (HTTP, HealthCheckURI, Method,
//     Domain ($_ip: none), HttpCode, ConnectPort, Interval, Timeout,
//     thresholds); a connect port that is not mapped fails. A backend starts
//     "initial" and takes no traffic until HealthyThreshold checks in a row
//     passed (stricter choice); UnhealthyThreshold failures make it
//     unhealthy. GetListenerHealthStatus reports initial as Initial and
//     unhealthy as Unhealthy with reason CONNECT_FAILED, CONNECT_TIMEOUT,
//     RESPONSE_TIMEOUT, RESPONSE_FAIL or RESPONSE_MISMATCH; DescribeHealthStatus
//     reports normal / abnormal, and unavailable while initial. Backends
//     without a mapped port keep the simulated health; with a mapped port
//     and no process serving the data plane they stay initial (nothing
//     checks them). With the check off every mapped backend takes traffic.
//   - Sticky sessions: Insert sets SERVERID (CLB), or SERVERID and
//     SERVERCORSID (SameSite=None; Secure) (ALB), with Max-Age = CookieTimeout
//     (ALB default 1000), on a response whose request did not carry the
//     backend's value; a request carrying it goes to that backend while it is
//     routable. Server: the app's cookie (Cookie) seen in a response pins its
//     value to that backend (the real LBs rewrite the cookie; the routing is
//     the same).
//   - HTTPS: the certificate is issued on the fly by the world's CA (ECDSA,
//     created on first use and kept in the world, so it survives restarts
//     and is shared by processes; GET /_fake/state redacts its key) for the
//     names of the enabled A/CNAME records pointing at the load balancer
//     (the CLB's address, the ALB's DNS name), the ALB's DNS name, localhost
//     and 127.0.0.1. Certificate IDs on listeners are not looked at.
//   - Draining: a backend removed from the group takes no new connections;
//     its upgraded (WebSocket) connections stay for the ALB group's
//     ConnectionDrainTimeout when draining is enabled, are closed at once when
//     it is not (stricter choice), and on CLB (no drain setting for HTTP
//     listeners) stay until they end. A backend turning unhealthy keeps its
//     connections.
//   - Not modelled: forwarding rules, ListenerForward redirects, QUIC, HTTP/2,
//     gzip, access logs, slow start, backend HTTPS (ALB server groups with
//     Protocol HTTPS are proxied over HTTP).
//
// # Simplified or unconfirmed: stricter choice taken
//
// Transport and signing:
//   - Only ACS3-HMAC-SHA256 and the v1 HMAC-SHA1 signature are accepted, with
//     a seeded AccessKey pair or STS credentials (x-acs-security-token with
//     ACS3, the SecurityToken parameter with v1; see STS below). The real
//     cloud also takes ACS3-HMAC-SM3, ACS3-RSA-SHA256 and bearer tokens.
//     Other ACS3 algorithms get 400 IncompleteSignature.
//   - 400 IncompleteSignature (code and message unconfirmed) also for: no or
//     malformed Authorization header, missing x-acs-signature-nonce, and any
//     x-acs-* header, host or content-type present but not signed.
//   - x-acs-content-sha256 not matching the body: SignatureDoesNotMatch
//     (real code unconfirmed).
//   - HTTP statuses of authentication errors per product (errors.go,
//     authStatuses), from each product's own error-code page where it has
//     one: Alidns (help.aliyun.com/en/dns/error-code) SignatureDoesNotMatch
//     403, InvalidAccessKeyId.NotFound 400; ALB, CLB (SLB) and ECS, whose
//     error pages do not list these codes, the gateway's common table
//     (help.aliyun.com/document_detail/51132.html and the facts sheet §1.3):
//     SignatureDoesNotMatch 400, InvalidAccessKeyId.NotFound 404.
//     IncompleteSignature is 400 everywhere. The Code is the same on every
//     product; clients must key on it, never on the status.
//   - x-acs-date missing/garbled: 400 InvalidTimeStamp.Format; more than 15
//     minutes either way from the clock: 400 InvalidTimeStamp.Expired. The
//     check uses the wall clock, not Options.Now, because the SDK stamps
//     requests with the wall clock (a test clock may run anywhere).
//   - Nonces are remembered 15 minutes (400 SignatureNonceUsed), checked after
//     the signature, and stay used even when the call then fails.
//   - v1 (auth_v1.go): a request without an Authorization header that
//     carries Signature, SignatureMethod, SignatureVersion, SignatureNonce or
//     AccessKeyId is v1-signed; one with both an Authorization header and a
//     Signature parameter is 400 IncompleteSignature. Checks, in order, all
//     400 unless said: a missing AccessKeyId, Signature, SignatureMethod,
//     SignatureVersion, SignatureNonce or Timestamp is Missing<Name> "<Name>
//     is mandatory for this action." (MissingSignature, MissingTimestamp and
//     MissingAccessKeyId seen in real answers; the other three follow the
//     pattern, unconfirmed); SignatureMethod other than HMAC-SHA1:
//     UnsupportedSignatureMethod (invented; the docs say only HMAC-SHA1);
//     SignatureVersion other than 1.0: UnsupportedSignatureVersion (code seen
//     in a real answer, for another case); a non-empty SignatureType (bearer
//     tokens): IncompleteSignature; SecurityToken: checked as ACS3's
//     x-acs-security-token (STS below); unknown key:
//     InvalidAccessKeyId.NotFound (404; the authentication statuses are per
//     product, as for ACS3: see above); Timestamp not exactly
//     yyyy-MM-ddTHH:mm:ssZ (fractional seconds too, which the real gateway
//     may accept): InvalidTimeStamp.Format; more than 15 minutes either way:
//     InvalidTimeStamp.Expired; wrong signature: SignatureDoesNotMatch
//     "Specified signature is not matched with our calculation. server string
//     to sign is:..." (as real answers); a replayed nonce (shared with ACS3
//     nonces): SignatureNonceUsed (real code and message).
//   - v1, stricter choices: a parameter sent twice (in the query, the form
//     body or both) is 400 InvalidParameter, since the signature would cover
//     both values and a handler read one. Format other than JSON (any case)
//     is 400 InvalidParameter: the real API answers XML for Format=XML, the
//     fake answers JSON only, and a client asking for XML would misread it.
//     The HTTP method signed is the one used (GET or POST).
//   - Flat form (paramstyle.go): the real refusal is confirmed for ALB Array
//     parameters (Servers, AclIds) and NLB ServerIds/Tag; for Struct
//     parameters (HealthCheckConfig), for a nested list or element sent whole
//     (HealthCheckConfig.HealthCheckCodes, Servers.1) and for CLB, Alidns and
//     ECS lists (Tag, LoadBalancerId) the same answer is the stricter choice.
//     A nested path is reported in the message, the code names the top-level
//     parameter (Invalid<Top>). Scalar types inside a flat form are not
//     checked by the gateway step; handlers check the values they read.
//   - Routing: the x-acs-version / x-acs-action headers win; without them the
//     Version / Action parameters route. Both present and different: 400
//     InvalidParameter (stricter: the real answer is unknown; a v1 signature
//     does not cover the headers, so they must not redirect a signed call).
//     The aliyun CLI sends both, equal.
//   - Routing is checked before authentication. A missing or unknown
//     version: 400 InvalidVersion; no action: 400 MissingParameter; a path
//     other than "/": 404 InvalidAction.NotFound.
//     Methods other than POST and GET: 400 UnsupportedHTTPMethod (invented).
//   - Handler failures that are not *APIError (and panics): 500 InternalError.
//   - Request IDs are random uppercase UUIDs; HostId is alb.<region>.aliyuncs.com,
//     slb.aliyuncs.com, alidns.aliyuncs.com or ecs.aliyuncs.com.
//   - Off unix there is no cross-process lock: a state file is then safe for
//     one process only.
//
// STS (2015-04-01; sts.go). Codes and statuses of AssumeRoleWithOIDC are
// from the STS error-code page (help.aliyun.com, api-sts-2015-04-01-errorcodes)
// unless marked:
//   - AssumeRoleWithOIDC is anonymous (AuthType Anonymous in the STS SDK;
//     credentials-go sends it unsigned); AssumeRole and GetCallerIdentity are
//     signed. None counts as a write (Call.Write false), though the issued
//     credentials are kept in the world.
//   - Token checks, all 401: empty, not three base64url parts, alg other than
//     RS256, unreadable claims, or no exp: AuthenticationFail.OIDCToken.Invalid;
//     surrounding whitespace (a token file written with a trailing newline)
//     is also Invalid (stricter choice: the real handling is unconfirmed);
//     no seeded key (the header's kid, else any) verifies the signature:
//     .InvalidSignature; iss not the provider's issuerUrl: .IssuerNotMatch
//     (401 by analogy, unconfirmed); exp at or before now (the world's
//     clock): .Expired; no aud among the provider's clientIds:
//     .AudienceNotMatch. Checked in that order, after the parameters; nbf
//     and iat are not checked.
//   - Unknown OIDCProviderArn: 401 AuthenticationFail.NoPermission "No such
//     OIDC Provider registered." (the real STS code; EntityNotExist.OIDCProvider
//     is the RAM API's). A role whose trust does not name the provider: 401
//     AuthenticationFail.NoPermission "There is no permission". Unknown
//     RoleArn: EntityNotExist.Role, 404 (status unconfirmed).
//   - RoleSessionName required, 2-64 of [a-zA-Z0-9.@_-] (older docs say 32):
//     400 InvalidParameter.RoleSessionName. DurationSeconds 900 to the role's
//     maxSessionDuration (default 3600, seedable up to 43200), default 3600:
//     400 InvalidParameter.DurationSeconds. Policy must be JSON of at most
//     2048 characters (400 InvalidParameter.PolicyGrammar) and is otherwise
//     ignored: the fake has no permissions. Missing RoleArn or
//     OIDCProviderArn: 400 MissingParameter.
//   - AssumeRole: only a seeded key named in the role's trust.accessKeys may
//     call it; any other caller, STS credentials included (stricter than role
//     chaining), gets 403 NoPermission (status unconfirmed).
//   - Issued credentials: AccessKeyId STS.<28 chars>, a secret, a
//     SecurityToken CAIS..., Expiration now + DurationSeconds (UTC, whole
//     seconds). Accepted on every product with their own token until then
//     (the world's clock, Options.Now): no token 400 MissingSecurityToken,
//     a token STS never issued 400 InvalidSecurityToken.Malformed, another
//     credential's token (or a token with a seeded key) 400
//     InvalidSecurityToken.MismatchWithAccessKey, at or after Expiration 400
//     InvalidSecurityToken.Expired (codes from the public error list; the
//     400 statuses are unconfirmed). Expired credentials are forgotten a day
//     later (then InvalidAccessKeyId.NotFound). Call.AssumedRole names the
//     role session of a call signed with them.
//   - GetCallerIdentity: AssumedRoleUser (Arn acs:ram::<account>:assumed-role/
//     <role>/<session>, PrincipalId and RoleId) for STS credentials; for a
//     seeded key the account itself (IdentityType Account, Arn
//     acs:ram::<account>:root): seeded keys belong to no RAM user.
//   - Answers carry the fields of the STS SDK's ResponseBody structs
//     (Credentials, AssumedRoleUser, OIDCTokenInfo without VerificationInfo);
//     the SDK is not a dependency, so their names are copied, not shared.
//
// ECS DescribeInstances (Tags and the Tag.N filter: see ECS tags below):
//   - RegionId other than the world's region: 404 InvalidRegionId.NotFound.
//   - InstanceIds not a JSON string array or more than 100 IDs: 400
//     InvalidInstanceIds.Malformed; PrivateIpAddresses likewise
//     InvalidPrivateIpAddresses.Malformed (invented). Unknown IDs are missing
//     from the answer.
//   - Status and InstanceNetworkType values are validated (400
//     InvalidParameter); MaxResults outside 1-100, PageSize outside 1-100,
//     PageNumber below 1: 400 InvalidParameter. A bad NextToken: 400
//     InvalidParameter.NextToken.
//   - NextToken mode
//     (MaxResults or NextToken given) returns NextToken and TotalCount;
//     PageNumber mode returns PageNumber, PageSize, TotalCount, and page 1
//     also carries a NextToken when more results exist.
//   - InstanceName "*" wildcards match case-sensitively. InstanceNetworkType=classic
//     matches nothing. An instance's vSwitch is one of its VPC's vSwitches
//     (those DescribeVSwitches lists): the seed's instances[].vSwitchId (it
//     must hold the private IP), else the VPC's first vSwitch whose block
//     holds the IP, else its first (a default vSwitch may then not hold the
//     IP: the seed's default blocks are a guess); ZoneId is that vSwitch's
//     zone (a VPC the seed declares no vswitches for has the two default
//     ones: vpc.go). Instance type, CPU, memory, OS and creation time are
//     fixed placeholders.
//
// ECS Cloud Assistant (ecs_commands.go, ecs_invocations.go). What the docs say (RunCommand,
// DescribeInvocations, DescribeInvocationResults, DescribeCloudAssistantStatus
// pages; the ECS SDK's field comments; the InvokeCommand error table):
//   - RunCommand parameters: RegionId, Type (RunShellScript, RunBatScript,
//     RunPowerShellScript; required), CommandContent (required; PlainText or
//     Base64 per ContentEncoding, default PlainText; an unknown encoding
//     counts as PlainText), InstanceId.N (1-100), Name (<= 128 chars),
//     Description (<= 512), WorkingDir (<= 200), Username (<= 255), Timeout
//     (seconds, default 60), EnableParameter, Parameters (a JSON object of
//     string values), KeepCommand (default false), RepeatMode (Once default,
//     Period, NextRebootOnly, EveryReboot, DryRun), Frequency, Tag.N (<= 20),
//     ResourceTag.N, ContainerId/ContainerName, Launcher, TerminationMode
//     (Process, ProcessTree), ClientToken (<= 64 ASCII). Answer {CommandId,
//     InvokeId, RequestId}; the call is asynchronous.
//   - Content size: the Base64 content may be at most 18 KB when the command
//     is kept (KeepCommand=true), 24 KB otherwise: 403 CmdContent.ExceedLimit.
//     Custom parameters: {{name}} in the content (spaces around the name
//     ignored), at most 20 (403 ParameterCount.ExceedLimit), names of
//     letters, digits, '-' and '_', case-insensitive, <= 64 bytes (403
//     ParameterKey.ExceedLimit); built-ins {{ACS::RegionId}},
//     {{ACS::InstanceId}}, {{ACS::InstanceName}}, {{ACS::InvokeId}},
//     {{ACS::CommandId}}, {{ACS::AccountId}}. Parameters without
//     EnableParameter: 404 Parameter.Disabled (404 as documented); a
//     parameter of the content without a value: 400 Parameter.MissingValue;
//     a passed-in name not in the content: 403 Parameter.NotMatched; a
//     non-string value: 403 ParameterType.NotSupported; unparsable
//     Parameters: 400 InvalidParameter.Parameters.
//   - Secrets: with EnableParameter=true, {{oos-secret:name}} is replaced on
//     the instance by the OOS secret parameter's value; the command as
//     recorded (DescribeInvocations' CommandContent) keeps the placeholder.
//     A secret that does not exist: 403 ParameterStore.InvalidParameters
//     (documented code; that it is the answer for a missing secret is
//     unconfirmed). {{oos:name}} (plain OOS parameters) is refused the same
//     way: not modelled.
//   - Other documented errors used: 400 MissingParam.InstanceId; 403
//     InstanceIds.ExceedLimit (> 100); 404 InvalidInstance.NotFound; 404
//     InvalidRepeatMode.NotFound; 404 InvalidTerminationMode.NotFound; 400
//     InvalidParameter.WorkingDir; 403 Username.ExceedLimit; 400
//     InvalidClientToken.Malformed; 403 IdempotentParameterMismatch (same
//     ClientToken, other parameters; the same request replayed answers the
//     same InvokeId). ECS's idempotence page ("How to ensure idempotence")
//     documents no validity window for a ClientToken: the fake remembers
//     one for ever, also after the invocation's instance ran other
//     commands (the stricter reading), so a client that sends an earlier
//     cycle's token gets the earlier InvokeId and nothing runs.
//     DescribeInvocations lists newest first; the API reference documents
//     no order, so clients should not rely on it.
//   - Statuses. Per instance (InvocationStatus): Pending (being sent),
//     Running, Success (exit code 0), Failed (exit code not 0), Timeout,
//     and Invalid, Aborted (not delivered), Error, Cancelled, Stopping,
//     Terminated, Scheduled, which the fake never reaches. Per task
//     (InvocationStatus in DescribeInvocations): Pending if any instance is,
//     else Running if any is, Success if all succeeded, Failed if none did,
//     PartialFailed otherwise (also Scheduled, Stopping, Stopped). The older
//     fields: InvokeStatus (task) and InvokeRecordStatus /
//     InstanceInvokeStatus (instance) are Running, then Finished when the
//     command ran to its end whatever its exit code, Failed when it timed
//     out; the task is Failed when every instance is, PartialFailed when
//     some are. The docs recommend InvocationStatus.
//   - Results: ExitCode, Output (Base64 unless ContentEncoding=PlainText; at
//     most 24 KB, Dropped = the bytes cut), ErrorCode/ErrorInfo
//     (ExitCodeNonzero "the command execution exit code is not zero.",
//     ExecutionTimeout "the command execution has been timeout."; others,
//     e.g. ClientNotRunning, InstanceNotRunning, DeliveryTimeout, belong to
//     runs the fake never has), StartTime, FinishedTime, Repeats.
//     DescribeInvocations answers Output only with IncludeOutput=true.
//   - DescribeCloudAssistantStatus: InstanceId.N, OSType (Windows, Linux,
//     FreeBSD), MaxResults 1-50 (default 10, ignored with InstanceId.N) /
//     NextToken, PageNumber/PageSize (deprecated). CloudAssistantStatus is
//     the string "true" (a heartbeat in the last 2 minutes) or "false";
//     CloudAssistantVersion is empty when it is not running. At most 50
//     InstanceId.N (400 InvalidParameter; the limit is unconfirmed).
//   - The docs say RunCommand needs Running instances with the agent
//     installed, and "if one of the specified instances does not meet the
//     conditions, the call fails". The fake fails it with 400
//     InvalidInstance.NotMatch (the documented code whose description is
//     "check whether the state of the instance meets the conditions for
//     running the command"; the exact code for this case is unconfirmed)
//     for a stopped instance, an instance seeded with cloudAssistant: false,
//     and a Windows command type (every fake instance runs Linux). Stricter
//     than an accepted call that ends Aborted with ClientNotRunning.
//
// What the fake does, and its simplifications:
//   - Commands are recorded, never run. How one ends on an instance is
//     decided when RunCommand is called: the last Command fault rule that
//     fired on the call for that instance (faults_command.go: product ecs,
//     command: {instance, match, exitCode, output, status}; match is a
//     substring of the command's name or decoded content), else the
//     instance's first seeded outcome whose match fits (seed
//     instances[].commands), else Success, exit code 0, no output.
//   - Timing: Pending for the first half of AsyncDuration, Running for the
//     second half, then the outcome (whatever Timeout says; a Timeout run
//     ends then too). ExitCode and Output appear at the end.
//   - Options.InstanceRuntime (Go only, test and demo wiring, not part of
//     any API; instance_runtime.go): each run decided a Success is handed,
//     outside the lock, to the runtime with the instance, the command as
//     sent and the OOS secret parameters it references resolved, and stays
//     Running until the runtime returns; an error then makes it Failed with
//     exit code 1 and the error as output. The invocation is recorded as
//     without it (placeholders kept, no secret value). `wsdeploy demo` uses
//     it to start wschat for wsdeploy's install commands. A run whose
//     runtime was cut off by a restart stays Running.
//   - RepeatMode other than Once, Frequency, Timed=true, ResourceTag.N,
//     containers, Launcher and OssOutputDelivery are refused with 400
//     InvalidParameter (not modelled). Timeout outside 10-86400: 403
//     InvalidTimeout.ExceedLimit (code from the Cloud Assistant error
//     tables; the range is the CreateCommand page's, unconfirmed for
//     RunCommand). Bad Base64 content, a bad Type: 400 InvalidParameter
//     (codes unconfirmed).
//   - IDs: CommandId c-fakeNNNN, InvokeId t-fakeNNNN from the world's
//     sequence. Lists are newest first. DescribeInvocations and
//     DescribeInvocationResults page with PageNumber/PageSize (1-50, default
//     10) or MaxResults (1-50)/NextToken.
//   - Snapshot().ECS.Invocations lists every task in order with its content
//     (Base64; DecodedContent()), its secret parameters' names and each
//     instance's outcome, so a test can check what ran, in which order.
//
// Kept commands (ecs_command_defs.go): CreateCommand (Name and Type
// required; CommandContent Base64 by default, as documented: an invalid
// ContentEncoding counts as Base64; at most 18 KB; at most 500 kept
// commands, then 403 CmdCount.ExceedQuota, the lowest documented quota),
// RunCommand with KeepCommand=true keeps its command too; InvokeCommand
// (CommandId, InstanceId.N, Parameters, Timeout and WorkingDir for this run
// only, Tag.N; an unknown command is 404 InvalidCmdId.NotFound) starts an
// invocation like RunCommand's, and Command fault rules match it on the
// kept command's name and content; DescribeCommands (CommandId, Name,
// Type, Description, Tag.N filters; Provider lists public commands, of
// which the fake has none; ParameterNames lists the custom parameters);
// DeleteCommand (404 InvalidCmdId.NotFound when unknown; invocations
// already started are kept).
//
// ECS tags (ecs_tags.go): TagResources, UntagResources, ListTagResources
// with ResourceType instance or invocation (the other documented types are
// accepted and hold nothing; an unknown type is 400
// InvalidResourceType.NotFound, code unconfirmed). ResourceId.N 1-50,
// Tag.N <= 20 (400 InvalidTagCount), keys and values <= 128 characters, no
// aliyun/acs: prefix, no http(s)://; more than 20 tags on a resource: 403
// OperationDenied.QuotaExceed (code recalled from the ECS error center,
// unconfirmed); unknown resource: 404 InvalidResourceId.NotFound. Untag
// needs TagKey.N or All=true (All applies only without TagKey.N).
// ListTagResources needs ResourceId.N or Tag.N (a Tag.N.Value without its
// key is 400 InvalidParameter.TagValue, as documented), 50 rows a page,
// TagFilter.N refused (not modelled). DescribeInstances answers Tags and
// filters by Tag.N.
//
// OOS secret parameters (oos.go; 2019-06-01): CreateSecretParameter (Name,
// Value, Type Secret, Description, KeyId, Constraints, Tags, RegionId,
// ResourceGroupId, ClientToken), GetSecretParameter (Name, WithDecryption,
// ParameterVersion), UpdateSecretParameter (Name, Value, Description, Tags:
// a new value is a new version), DeleteSecretParameter (Name):
//   - Name: letters, digits, '-', '_', at most 180, not starting with
//     ALIYUN, ACS, ALIBABA, ALICLOUD or OOS (any case); Value at most 4096
//     characters; Description at most 200; Type Secret only; at most 20 tags.
//     Violations: 400 InvalidParameter (code unconfirmed).
//   - Unknown name: 404 EntityNotExists.Parameter (the code Terraform's
//     provider expects; 404 unconfirmed); an existing name on create: 400
//     EntityAlreadyExists.Parameter (invented by analogy); RegionId, when
//     given, must be the world's (404 InvalidRegionId.NotFound).
//   - ClientToken (<= 64): a create repeated with the same token and the
//     same parameters answers the parameter it created (version 1), even
//     if it was updated since; the same token with other parameters is 400
//     IdempotentParameterMismatch (code and status unconfirmed). The
//     stored request hash leaves Value out.
//   - The answer's Parameter has no Value unless WithDecryption=true (the
//     real answer without decryption is unconfirmed). KMS is not modelled:
//     KeyId is kept and echoed. UpdateSecretParameter answers Tags as a JSON
//     string (its SDK struct), the others as an object.
//   - The value is in the world (State.OOS, the state file) and nowhere
//     else: the request log drops Value from these calls' parameters, GET
//     /_fake/state answers <redacted>, and SecretValue prints as <redacted>
//     with fmt (%v, %+v, %#v), so a printed Snapshot does not show it;
//     SecretValue.Reveal returns it.
//
// ECS security groups (ecs_securitygroups.go; ECS API reference pages of the
// four actions, their error tables, and the SDK request structs):
//   - Only basic VPC groups and inbound (ingress) rules are written; egress
//     rules come from seeds only. NicType is intranet; internet is 403
//     InvalidNicType.Mismatch (a VPC group has no internet NIC rules).
//   - AuthorizeSecurityGroup takes Permissions.N.* (at most 100, the
//     documented N) or the deprecated top-level fields, never both (400
//     InvalidParam.Permissions). Protocol TCP/UDP/ICMP/GRE/ALL, any case,
//     stored upper case (400 InvalidIpProtocol.ValueNotSupported); PortRange
//     "a/b", 1-65535, a<=b, "-1/-1" for ICMP/GRE/ALL (400
//     InvalidParam.PortRange; missing: InvalidPortRange.Malformed); Policy
//     accept/drop, answered Accept/Drop (default accept); Priority 1-100
//     (default 1); Description up to 512 characters, not starting with
//     http(s):// (400 InvalidSecurityGroupDiscription.Malformed, the real
//     spelling). A source is SourceCidrIp (IPv4 block or address) or
//     SourceGroupId (same VPC, not the group itself); neither is 400
//     MissingParameter.Source. IPv6 sources and prefix lists are refused
//     (not modelled). The same rule twice in one call is 400
//     InvalidParam.DuplicatePermissions; a rule the group already has is
//     accepted and not added again (as documented). Over 200 rules per
//     group: 400 AuthorizationLimitExceed (code from the ECS error center,
//     message invented). ClientToken is accepted and not remembered.
//   - RevokeSecurityGroup takes SecurityGroupRuleId.N or Permissions.N, not
//     both (400 InvalidParam.Permissions, guessed). An unknown rule ID is 404
//     InvalidSecurityGroupRuleId.NotFound; Permissions that match no rule are
//     400 InvalidSecurityGroupRule.RuleNotExist (the documented "success" was
//     changed in 2024; the stricter answer is taken).
//   - DescribeSecurityGroupAttribute: Direction all/ingress/egress (400
//     InvalidParameter otherwise); all rules in one answer unless MaxResults
//     (10-1000, default 500) or NextToken is given. Unknown group: 404
//     InvalidSecurityGroupId.NotFound.
//   - DescribeSecurityGroups: SecurityGroupIds a JSON array of at most 100
//     (400 InvalidSecurityGroupIds.Malformed, invented as for InstanceIds);
//     MaxResults 1-100 default 10 + NextToken, or PageNumber/PageSize (1-50).
//   - Seeds: securityGroups [{id, vpcId, innerAccessPolicy, rules: [{direction,
//     protocol, portRange, source, policy, priority, description}]}] and
//     instances[].securityGroupIds (each instance needs one when groups are
//     declared). A seed without securityGroups puts each VPC's instances in
//     sg-<vpc suffix>, which accepts all traffic from the VPC's CIDR block:
//     vpcs[].cidr, or by default the private range (192.168.0.0/16,
//     172.16.0.0/12, 10.0.0.0/8) holding all its instances (the seed has no
//     vSwitches; the default is a guess at a typical VPC). InnerAccessPolicy
//     defaults to Accept.
//
// ALB UpdateLoadBalancerEdition: what is confirmed and the stricter
// choices taken where the docs are silent head alb_edition.go.
//
// ALB instance quota (lb_quotas.go; alb.go has the details): the quota page
// (Quota Center alb_quota_loadbalancers_num, "the number of ALB instances an
// Alibaba Cloud account can own in each region"; looked up 2026-11 with the
// docs search: the current pages give 60 by default, 150 at most; the fake's
// default is 60, a seed may set any other) does not say whether an instance being deleted
// still counts, nor when it stops. The fake takes the stricter reading: an
// instance counts until its DeleteLoadBalancer job has ended and it is gone,
// so a create sent while the account's last instance is being deleted is
// refused (400 QuotaExceeded.LoadBalancersNum). wsdeploy's ALB create waits
// for the stack's own instance being deleted and tries once more
// (pkg/cloud/alb/lb_quota.go).
//
// CLB (SLB 2014-05-15; the full list with details heads clb.go):
//   - RegionId is required on every action; another region is 404
//     InvalidRegionId.NotFound. An unknown CLB is 404
//     InvalidLoadBalancerId.NotFound (status unconfirmed), also inside
//     DescribeLoadBalancerListeners' LoadBalancerId.N.
//   - A missing listener is 400 InvalidParameter "The specified resource does
//     not exist." on Describe{HTTP,HTTPS}ListenerAttribute and 404
//     ListenerNotFound everywhere else; the wrong-protocol call on a port is
//     400 UnsupportedOperationonfixedprotocalport.
//   - Listener states: created stopped; Start only from stopped (starting for
//     AsyncDuration, then running); Stop only from running (stopped at once);
//     Start on running / Stop on stopped: 400
//     OperationFailed.ListenerStatusNotSupport. Any write on a starting or
//     configuring listener: 400 ServiceIsConfiguring. Set...Attribute on a
//     running listener makes it configuring for AsyncDuration; on a stopped
//     one it applies at once. DryRun answers 400 DryRunOperation.
//   - Ports are unique per CLB across protocols (ListenerAlreadyExists); at
//     most 50 listeners per CLB (ListenerNumberOverLimit). Create requires
//     HealthCheck and StickySession; HTTPS create also Bandwidth and
//     ServerCertificateId (any non-empty ID: certificates are not modelled).
//     Values are range-checked even for disabled features; HealthCheckURI
//     allows only letters, digits and -/.%?#& ; Cookie only letters and
//     digits; Description only letters, digits and -/._ . Set...Attribute takes
//     VServerGroupId only with VServerGroup=on. ACLs are not modelled
//     (AclStatus=on or AclId: 400 AclNotExist).
//   - BackendServers: numbers or numeric strings, single quotes accepted;
//     unknown keys, null entries: 400 BackendServersMalformed; the same
//     (ServerId, Port) twice in a call or already in the group (Add/Modify):
//     400 InvalidParameter; Set/Modify naming a non-member: 400
//     InvalidParameter (Remove ignores it); Description "" rejected; eni/eci
//     and missing or non-Running ECS: 400 ObtainIpFail; other VPC: 400
//     InvalidBackendServers.Inconsistent.
//   - A membership change keeps the vServer group busy for AsyncDuration: the
//     next Add/Remove/Set/Modify/Delete on it is 400 VServerGroupProcessing.
//     Membership responses list all servers after the change.
//   - A locked CLB (only via Server.Update) refuses writes with 400
//     ActionNotAllowed. DescribeLoadBalancers PageSize defaults to 10.
//     An inactive CLB (stopped by its owner) accepts configuration writes
//     (unconfirmed either way; wsdeploy refuses a named inactive CLB in plan,
//     so no write reaches it).
//   - ALB: a write on an existing listener whose instance is not Active
//     (Provisioning, CreateFailed, Configuring for any reason) is 400
//     IncorrectStatus.LoadBalancer (unconfirmed; stricter than refusing
//     only while a listener job runs).
//   - DeleteLoadBalancer takes the instance's listeners, vServer groups
//     (with their backends) and their tags with it (clb_delete.go; the SDK
//     documents listeners and tags; master-slave groups and ACLs are not
//     modelled). Afterwards DescribeVServerGroups for it is 404
//     InvalidLoadBalancerId.NotFound, its groups 404 InvalidParameter.
//   - CreateLoadBalancer (clb_billing.go): pay-by-spec CLBs are no longer
//     sold (vendor notice: 2025-06-01 UTC+8), so only InstanceChargeType
//     PayByCLCU succeeds. PayBySpec with a LoadBalancerSpec: 400
//     PayBySpecSlbHaltSales (code invented after the real ShareSlbHaltSales:
//     unconfirmed); without one (shared-resource): 400 ShareSlbHaltSales
//     (code from Terraform's provider; status unconfirmed). InternetChargeType
//     paybytraffic (default) or paybybandwidth (needs Bandwidth 1-5120, an
//     internet address and not PayByCLCU: stricter, 400 InvalidParameter),
//     reported as created or as the seed's clbs[].internetChargeType says.
//   - Zones (clb_zones.go): MasterZoneId is the vSwitch's zone, SlaveZoneId
//     another zone of the region (the world's vSwitch zones, then the ALB
//     zones), derived unless the create names one. A create's MasterZoneId
//     other than the vSwitch's zone, or a SlaveZoneId equal to it or outside
//     the region: 400 InvalidParameter (stricter; real checks unconfirmed).
//   - DescribeHealthStatus: unavailable while the listener is stopped or
//     starting or its health check is off; abnormal when the ECS instance is
//     missing, not Running or unhealthy; else normal.
//   - Tags: keys 1-64, values 0-128, aliyun/acs: prefixes and http(s)://
//     refused case-insensitively; > 20 per resource or per create/TagResources
//     call 400 TagCountLimit;
//     certificate/acl/masterslaveservergroup resources 404
//     InvalidResourceId.NotFound (invented); UntagResources needs TagKey.N or
//     All=true; ListTagResources needs ResourceId.N or Tag.N and pages 50 rows.
//
// Alidns:
//   - Seeded domains are free edition (VersionCode mianfei, MinTtl 600, basic
//     lines default/telecom/unicom/mobile/oversea/edu/drpeng/btvn only; other
//     lines 400 InvalidParameter). TTL outside 600-86400: 400 QuotaExceeded.TTL
//     (code and message confirmed from a real answer).
//   - Unknown zone: 400 InvalidDomainName.NoExist (old vendor docs show
//     IncorrectDomainUser for AddDomainRecord); malformed name: 400
//     InvalidDomainName.Format. A subdomain of a zone is not a zone.
//   - RR: "@", "*", or lowercase labels of letters, digits, '-', '_' ('*' only
//     as the whole first label); otherwise 400 InvalidRR.Format (invented
//     code; real message "The parameter value RR is invalid"). Uppercase is
//     rejected rather than folded.
//   - Values: A must be IPv4, AAAA IPv6; CNAME/MX/NS lowercase host names
//     without trailing dot; TXT 1-512 bytes; SRV "prio weight port target";
//     CAA `flags tag "value"`; REDIRECT_URL/FORWARD_URL http(s) URLs.
//     Otherwise 400 SubDomainInvalid.Value. Unknown Type: 400 InvalidParameter.
//     MX needs Priority 1-50 (MissingParameter / InvalidParameter).
//   - Duplicate (same RR, Type, Value, Line): 400 DomainRecordDuplicate, also
//     for an UpdateDomainRecord that changes nothing (TTL and Line default to
//     600 and "default" when absent, as the SDK documents).
//   - Conflict (400 DomainRecordConflict) on the same RR and Line: CNAME next
//     to any other type, a second CNAME with another value (Alidns may allow
//     weighted CNAMEs), URL forwarding next to A/AAAA/CNAME. Disabled records
//     count too.
//   - Unknown RecordId: 400 DomainRecordNotBelongToUser (never InvalidRR.NoExist).
//     DeleteSubDomainRecords with nothing to delete: 400 InvalidRR.NoExist.
//   - Remark longer than 50 characters: 400 InvalidParameter (limit and code
//     unconfirmed). SetDomainRecordStatus takes exactly Enable or Disable,
//     echoes it, and records show ENABLE/DISABLE.
//   - Records list newest first (Direction=ASC reverses; OrderBy other than
//     "default" is 400 InvalidParameter), in DescribeDomainRecords and
//     DescribeSubDomainRecords alike. KeyWord matches RR or Value (LIKE:
//     substring, EXACT: equal) and then other filters are ignored;
//     RRKeyWord/ValueKeyWord are case-insensitive substrings.
//   - DescribeSubDomainRecords without DomainName takes the last two labels as
//     the zone; a SubDomain outside the given DomainName is 400 InvalidParameter.
//   - Page sizes out of range are rejected (400 InvalidParameter), not clamped.
//   - RecordIds are deterministic numbers from 1900000000000000001 up, DomainIds
//     deterministic UUID-like strings; name servers dns9/dns10.hichina.com.
//     The 90-records-per-RR quota and record locking (only settable through
//     Server.Update) are not modelled beyond DomainRecordLocked on update/delete.
package fakecloud
