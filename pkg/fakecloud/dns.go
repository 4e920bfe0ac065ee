package fakecloud

// Alidns, API version 2015-01-09 (facts §4): hosted zones ("domains") and
// their records. Synchronous; paging with PageNumber/PageSize; lists wrapped
// (Domains.Domain[], DomainRecords.Record[]).

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	"github.com/alibabacloud-go/tea/dara"
)

// DNSState is the Alidns part of the world.
type DNSState struct {
	Domains []DNSDomain `json:"domains"`
	// LastRecord numbers records: RecordId = dnsRecordIDBase + n. A counter of
	// its own keeps record IDs stable whatever other products do.
	LastRecord int64 `json:"lastRecord"`
}

// DNSDomain is a hosted zone.
type DNSDomain struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	VersionCode string      `json:"versionCode"` // mianfei = free edition
	MinTTL      int64       `json:"minTtl"`
	Created     time.Time   `json:"created"`
	Records     []DNSRecord `json:"records"`
}

// DNSRecord is one resource record of a zone.
type DNSRecord struct {
	ID       string    `json:"id"`
	RR       string    `json:"rr"`
	Type     string    `json:"type"`
	Value    string    `json:"value"`
	TTL      int64     `json:"ttl"`
	Line     string    `json:"line"`
	Priority int64     `json:"priority,omitempty"` // MX only
	Status   string    `json:"status"`             // ENABLE | DISABLE
	Locked   bool      `json:"locked,omitempty"`
	Remark   string    `json:"remark,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

const (
	dnsRecordIDBase  = int64(1900000000000000000)
	dnsMaxTTL        = 86400
	dnsFreeMinTTL    = 600
	dnsDefaultTTL    = 600
	dnsMaxRemark     = 50
	dnsMaxTXT        = 512
	dnsFreeVersion   = "mianfei"
	dnsFreeName      = "Alibaba Cloud DNS"
	statusEnable     = "ENABLE"
	statusDisable    = "DISABLE"
	dnsTimeLayout    = "2006-01-02T15:04Z"
	dnsDefaultLine   = "default"
	dnsDefaultPage   = 20
	dnsMaxPageDomain = 100
)

// seedTime is the creation time of seeded objects (deterministic output).
var seedTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	dnsRecordTypes = []string{"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "REDIRECT_URL", "FORWARD_URL"}
	// Lines of the free edition.
	dnsLines      = []string{"default", "telecom", "unicom", "mobile", "oversea", "edu", "drpeng", "btvn"}
	dnsLineNames  = []string{"默认", "电信", "联通", "移动", "境外", "教育网", "鹏博士", "广电网"}
	dnsServers    = []string{"dns9.hichina.com", "dns10.hichina.com"}
	dnsFreeTTLs   = []string{"600", "1800", "3600", "43200", "86400"}
	dnsHostTypes  = []string{"CNAME", "MX", "NS"}
	dnsURLTypes   = []string{"REDIRECT_URL", "FORWARD_URL"}
	dnsAddrTypes  = []string{"A", "AAAA"}
	dnsCAATags    = []string{"issue", "issuewild", "iodef"}
	dnsStatusArgs = map[string]string{"Enable": statusEnable, "Disable": statusDisable}
)

func registerAlidns(reg registry) {
	reg.add(VersionAlidns, "DescribeDomains", false, dnsDescribeDomains)
	reg.add(VersionAlidns, "DescribeDomainInfo", false, dnsDescribeDomainInfo)
	reg.add(VersionAlidns, "DescribeDomainRecords", false, dnsDescribeDomainRecords)
	reg.add(VersionAlidns, "DescribeSubDomainRecords", false, dnsDescribeSubDomainRecords)
	reg.add(VersionAlidns, "DescribeDomainRecordInfo", false, dnsDescribeDomainRecordInfo)
	reg.add(VersionAlidns, "AddDomainRecord", true, dnsAddDomainRecord)
	reg.add(VersionAlidns, "UpdateDomainRecord", true, dnsUpdateDomainRecord)
	reg.add(VersionAlidns, "UpdateDomainRecordRemark", true, dnsUpdateDomainRecordRemark)
	reg.add(VersionAlidns, "DeleteDomainRecord", true, dnsDeleteDomainRecord)
	reg.add(VersionAlidns, "DeleteSubDomainRecords", true, dnsDeleteSubDomainRecords)
	reg.add(VersionAlidns, "SetDomainRecordStatus", true, dnsSetDomainRecordStatus)
}

// seedAlidns adds the seed's domains as free-edition zones without records.
func seedAlidns(st *State, seed *Seed) error {
	for i, d := range seed.Domains {
		st.DNS.Domains = append(st.DNS.Domains, DNSDomain{
			ID:          fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1),
			Name:        d,
			VersionCode: dnsFreeVersion,
			MinTTL:      dnsFreeMinTTL,
			Created:     seedTime,
			Records:     []DNSRecord{},
		})
	}
	return nil
}

// Errors (facts §4; messages from the vendor error tables).

func errDomainNoExist(name string) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidDomainName.NoExist", "The specified domain name %q does not exist in this account.", name)
}

func errRecordNotBelong() *APIError {
	return Errorf(http.StatusBadRequest, "DomainRecordNotBelongToUser", "The domain record does not belong to this user.")
}

func errRecordDuplicate() *APIError {
	return Errorf(http.StatusBadRequest, "DomainRecordDuplicate", "The domain record is duplicated.")
}

func errRecordConflict() *APIError {
	return Errorf(http.StatusBadRequest, "DomainRecordConflict", "The domain record is conflict with other records.")
}

func errRecordLocked() *APIError {
	return Errorf(http.StatusBadRequest, "DomainRecordLocked", "The domain record has been locked.")
}

// dnsDomain finds a zone by name (DomainName parameter).
func dnsDomain(st *State, name string) (*DNSDomain, error) {
	n := strings.ToLower(name)
	if !isHostname(n) || !strings.Contains(n, ".") {
		return nil, Errorf(http.StatusBadRequest, "InvalidDomainName.Format", "The specified domain name %q is not valid.", name)
	}
	for i := range st.DNS.Domains {
		if st.DNS.Domains[i].Name == n {
			return &st.DNS.Domains[i], nil
		}
	}
	return nil, errDomainNoExist(name)
}

// dnsZone reads DomainName and returns that zone.
func dnsZone(st *State, r *Request) (*DNSDomain, error) {
	name, err := r.Required("DomainName")
	if err != nil {
		return nil, err
	}
	return dnsDomain(st, name)
}

// dnsRecordParam reads RecordId and returns it with the record's zone and
// index there.
func dnsRecordParam(st *State, r *Request) (string, *DNSDomain, int, error) {
	id, err := r.Required("RecordId")
	if err != nil {
		return "", nil, 0, err
	}
	d, i, err := dnsRecord(st, id)
	return id, d, i, err
}

// dnsRecord finds a record by RecordId.
func dnsRecord(st *State, id string) (*DNSDomain, int, error) {
	for i := range st.DNS.Domains {
		d := &st.DNS.Domains[i]
		for j := range d.Records {
			if d.Records[j].ID == id {
				return d, j, nil
			}
		}
	}
	return nil, 0, errRecordNotBelong()
}

// Domains.

func dnsDescribeDomains(st *State, r *Request) (any, error) {
	kw := strings.ToLower(r.Get("KeyWord"))
	mode := r.Get("SearchMode")
	if mode == "" {
		mode = "LIKE"
	}
	if mode != "LIKE" && mode != "EXACT" {
		return nil, InvalidParameter("SearchMode", mode, "LIKE or EXACT")
	}
	var ds []*DNSDomain
	for i := range st.DNS.Domains {
		d := &st.DNS.Domains[i]
		if kw != "" && (mode == "LIKE" && !strings.Contains(d.Name, kw) || mode == "EXACT" && d.Name != kw) {
			continue
		}
		ds = append(ds, d)
	}
	p, err := numberPage(r, len(ds), pageNumberMax, dnsDefaultPage, dnsMaxPageDomain)
	if err != nil {
		return nil, err
	}
	list := []*alidns.DescribeDomainsResponseBodyDomainsDomain{}
	for _, d := range pageOf(ds, p) {
		list = append(list, &alidns.DescribeDomainsResponseBodyDomainsDomain{
			DomainId:        dara.String(d.ID),
			DomainName:      dara.String(d.Name),
			PunyCode:        dara.String(d.Name),
			RecordCount:     dara.Int64(int64(len(d.Records))),
			AliDomain:       dara.Bool(false),
			VersionCode:     dara.String(d.VersionCode),
			VersionName:     dara.String(dnsFreeName),
			CreateTime:      dara.String(d.Created.UTC().Format(dnsTimeLayout)),
			CreateTimestamp: ms(d.Created),
			DnsServers:      &alidns.DescribeDomainsResponseBodyDomainsDomainDnsServers{DnsServer: dara.StringSlice(dnsServers)},
		})
	}
	return &alidns.DescribeDomainsResponseBody{
		Domains:    &alidns.DescribeDomainsResponseBodyDomains{Domain: list},
		TotalCount: dara.Int64(int64(len(ds))),
		PageNumber: dara.Int64(int64(p.number)),
		PageSize:   dara.Int64(int64(p.size)),
	}, nil
}

func dnsDescribeDomainInfo(st *State, r *Request) (any, error) {
	d, err := dnsZone(st, r)
	if err != nil {
		return nil, err
	}
	var lines []*alidns.DescribeDomainInfoResponseBodyRecordLinesRecordLine
	for i, l := range dnsLines {
		lines = append(lines, &alidns.DescribeDomainInfoResponseBodyRecordLinesRecordLine{
			LineCode: dara.String(l), LineName: dara.String(dnsLineNames[i]), LineDisplayName: dara.String(dnsLineNames[i]),
		})
	}
	return &alidns.DescribeDomainInfoResponseBody{
		DomainId:    dara.String(d.ID),
		DomainName:  dara.String(d.Name),
		PunyCode:    dara.String(d.Name),
		AliDomain:   dara.Bool(false),
		VersionCode: dara.String(d.VersionCode),
		VersionName: dara.String(dnsFreeName),
		MinTtl:      dara.Int64(d.MinTTL),
		CreateTime:  dara.String(d.Created.UTC().Format(dnsTimeLayout)),
		DnsServers:  &alidns.DescribeDomainInfoResponseBodyDnsServers{DnsServer: dara.StringSlice(dnsServers)},
		AvailableTtls: &alidns.DescribeDomainInfoResponseBodyAvailableTtls{
			AvailableTtl: dara.StringSlice(dnsFreeTTLs),
		},
		RecordLines: &alidns.DescribeDomainInfoResponseBodyRecordLines{RecordLine: lines},
		SubDomain:   dara.Bool(false),
		SlaveDns:    dara.Bool(false),
		InBlackHole: dara.Bool(false),
		InClean:     dara.Bool(false),
		RegionLines: dara.Bool(false),
	}, nil
}
