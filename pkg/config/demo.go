package config

// Demo returns the stack `wsdeploy --local` uses when there is no config file. Its IDs are
// those of the fake cloud's demo world; defaults are applied.
func Demo() *Stack {
	s := &Stack{
		Stack:  "demo",
		Region: "cn-hangzhou",
		LB:     LBALB,
		ALB:    &LBRef{ID: "alb-fake01"},
		CLB:    &LBRef{ID: "lb-fake01"},
		Backends: Backends{
			Port:    5000,
			Servers: []Server{{Instance: "ECS01"}, {Instance: "i-fake02"}},
		},
		Listeners: []Listener{
			{Protocol: "HTTP", Port: 5000, IdleTimeout: 60, RequestTimeout: 60},
			{Protocol: "HTTPS", Port: 443, CertificateID: "12315790212_166f8204689_1714763408_70998", IdleTimeout: 60, RequestTimeout: 60},
		},
		DNS: &DNS{Domain: "example.com", RR: "chat", TTL: 600},
		App: &App{PingInterval: DefaultPingInterval},
	}
	s.ApplyDefaults()
	return s
}

// Example returns the commented starter wsdeploy.yaml that `wsdeploy init` writes. It describes
// the same stack as Demo, so `wsdeploy plan --local` works on it unchanged.
func Example() []byte {
	return []byte(exampleYAML)
}

const exampleYAML = `# wsdeploy.yaml: one WebSocket app behind an Alibaba Cloud load balancer, plus a DNS record.
# Check it with "wsdeploy plan", apply it with "wsdeploy up", remove everything with "wsdeploy down".
#
# The IDs below belong to wsdeploy's built-in demo world: "wsdeploy plan --local" works as is.
# Replace them with your own before deploying to Alibaba Cloud.

# Name of this deployment: 2-32 lowercase letters, digits and '-', starting with a letter.
# wsdeploy tags everything it creates with it, and only changes or deletes what carries the tag.
stack: demo

# Region ID of the load balancer and the ECS instances (--region overrides it).
region: cn-hangzhou

# Which existing load balancer to use: alb (Application Load Balancer) or clb (Classic Load
# Balancer, formerly SLB); --lb overrides it. Only the block of the chosen kind is required.
lb: alb
alb:
  id: alb-fake01            # ALB console: Instances
clb:
  id: lb-fake01             # CLB console: Instances

backends:
  port: 5000                # the port your app listens on, on every server
  servers:                  # ECS instance IDs (i-...) or instance names
    - ECS01
    - instance: i-fake02
      # weight: 100         # 0-100; 0 keeps a server registered but sends it no traffic
  healthCheck:
    path: /healthz          # the load balancer expects 2xx or 3xx from this path (wschat serves it)
    # method: GET           # GET, POST (ALB only) or HEAD
    # codes: [http_2xx, http_3xx]
    # interval: 2           # seconds between checks, 1-50
    # timeout: 5            # seconds to wait for an answer, 1-300
    # healthyThreshold: 3   # passed checks in a row before a server gets traffic, 2-10
    # unhealthyThreshold: 3 # failed checks in a row before it is taken out, 2-10
  stickySession:            # keeps a client on one server (needed when clients fall back to long-polling)
    type: Insert            # Insert: the load balancer sets a cookie; Server: your app's cookie (add cookie: NAME)
    cookieTimeout: 1000     # seconds, 1-86400 (Insert only)

# WebSockets run over HTTP and HTTPS listeners. Load balancers close connections idle for 15 s by
# default; wsdeploy sets 60 s, the maximum. Let your app ping more often than idleTimeout.
listeners:
  - protocol: HTTP
    port: 5000
    idleTimeout: 60         # seconds, 1-60
    requestTimeout: 60      # seconds, 1-180
  - protocol: HTTPS
    port: 443
    certificateId: 12315790212_166f8204689_1714763408_70998   # from Certificate Management Service
    idleTimeout: 60
    requestTimeout: 60

# Optional: a record in Alibaba Cloud DNS that points at the load balancer (a CNAME for an ALB,
# an A record for a CLB). Remove this block to manage DNS yourself.
dns:
  domain: example.com       # a zone hosted in Alibaba Cloud DNS
  rr: chat                  # host part: chat.example.com; "@" for the domain itself
  ttl: 600                  # seconds, 1-86400; free and personal DNS editions need at least 600

# The application (wschat from "wsdeploy init --app", or your own). Its keepalive ping must come more
# often than every listener's idleTimeout, or the load balancer closes quiet connections: plan warns.
app:
  pingInterval: 10s         # wschat --ping-interval
`
