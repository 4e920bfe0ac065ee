package fakecloud

// Alidns records: what a record may hold (validation, duplicates, conflicts)
// and the record actions.

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	"github.com/alibabacloud-go/tea/dara"
)

// recordInput validates RR, Type, Value, TTL, Line and Priority of an
// Add/UpdateDomainRecord call against zone d.
func recordInput(d *DNSDomain, r *Request) (DNSRecord, error) {
	var rec DNSRecord
	rr, err := r.Required("RR")
	if err != nil {
		return rec, err
	}
	typ, err := r.Required("Type")
	if err != nil {
		return rec, err
	}
	value, err := r.Required("Value")
	if err != nil {
		return rec, err
	}
	if !validRR(rr, d.Name) {
		return rec, Errorf(http.StatusBadRequest, "InvalidRR.Format", "The parameter value RR is invalid: %q.", rr)
	}
	if !contains(dnsRecordTypes, typ) {
		return rec, InvalidParameter("Type", typ, strings.Join(dnsRecordTypes, ", "))
	}
	if !validValue(typ, value) {
		return rec, Errorf(http.StatusBadRequest, "SubDomainInvalid.Value", "The parameter value Value is invalid for a %s record: %q.", typ, value)
	}
	ttl := int64(dnsDefaultTTL)
	if s, ok := r.Str("TTL"); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return rec, InvalidParameter("TTL", s, "an integer")
		}
		ttl = n
	}
	if ttl < d.MinTTL || ttl > dnsMaxTTL {
		return rec, Errorf(http.StatusBadRequest, "QuotaExceeded.TTL",
			"The specified TTL is invalid. A valid TTL must be in the range of %d to %d.", d.MinTTL, dnsMaxTTL)
	}
	line := dnsDefaultLine
	if s, ok := r.Str("Line"); ok {
		line = s
	}
	if !contains(dnsLines, line) {
		return rec, InvalidParameter("Line", line, "a line of the free edition: "+strings.Join(dnsLines, ", "))
	}
	var prio int64
	if typ == "MX" {
		s, ok := r.Str("Priority")
		if !ok {
			return rec, MissingParameter("Priority")
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 || n > 50 {
			return rec, InvalidParameter("Priority", s, "an integer from 1 to 50")
		}
		prio = n
	}
	return DNSRecord{RR: rr, Type: typ, Value: value, TTL: ttl, Line: line, Priority: prio}, nil
}

// validRR accepts "@", "*", and host names of one or more labels (letters,
// digits, '-' and '_'; '*' only as the whole first label), lowercase.
func validRR(rr, domain string) bool {
	if rr == "@" || rr == "*" {
		return true
	}
	if len(rr)+1+len(domain) > 253 {
		return false
	}
	for i, l := range strings.Split(rr, ".") {
		if l == "*" && i == 0 {
			continue
		}
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func validValue(typ, v string) bool {
	switch typ {
	case "A":
		return isIPv4(v)
	case "AAAA":
		return isIPv6(v)
	case "CNAME", "MX", "NS":
		return isHostname(v) && strings.Contains(v, ".")
	case "TXT":
		return v != "" && len(v) <= dnsMaxTXT
	case "SRV": // priority weight port target
		f := strings.Fields(v)
		if len(f) != 4 || !isHostname(f[3]) {
			return false
		}
		for _, n := range f[:3] {
			if x, err := strconv.Atoi(n); err != nil || x < 0 || x > 65535 {
				return false
			}
		}
		return true
	case "CAA": // flags tag "value"
		f := strings.SplitN(v, " ", 3)
		if len(f) != 3 || !contains(dnsCAATags, f[1]) || len(f[2]) < 2 || f[2][0] != '"' || f[2][len(f[2])-1] != '"' {
			return false
		}
		x, err := strconv.Atoi(f[0])
		return err == nil && x >= 0 && x <= 255
	case "REDIRECT_URL", "FORWARD_URL":
		u, err := url.Parse(v)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	}
	return false
}

// sameValue compares record values; host names compare case-insensitively.
func sameValue(typ, a, b string) bool {
	if contains(dnsHostTypes, typ) {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// conflicts reports whether two record types may not share one RR and line:
// a CNAME excludes every other record (and any second CNAME), URL forwarding
// excludes addresses and CNAME.
func conflicts(a, b DNSRecord) bool {
	if a.Type == "CNAME" || b.Type == "CNAME" {
		return a.Type != b.Type || !sameValue("CNAME", a.Value, b.Value)
	}
	aURL, bURL := contains(dnsURLTypes, a.Type), contains(dnsURLTypes, b.Type)
	if aURL && bURL {
		return !(a.Type == b.Type && a.Value == b.Value)
	}
	return aURL && contains(dnsAddrTypes, b.Type) || bURL && contains(dnsAddrTypes, a.Type)
}

// checkClash rejects rec if zone d already holds the same record
// (DomainRecordDuplicate) or a clashing one (DomainRecordConflict). skipID is
// the record being updated.
func checkClash(d *DNSDomain, rec DNSRecord, skipID string) error {
	for _, o := range d.Records {
		if o.ID == skipID || o.RR != rec.RR || o.Line != rec.Line {
			continue
		}
		if o.Type == rec.Type && sameValue(rec.Type, o.Value, rec.Value) {
			return errRecordDuplicate()
		}
	}
	for _, o := range d.Records {
		if o.ID == skipID || o.RR != rec.RR || o.Line != rec.Line {
			continue
		}
		if conflicts(o, rec) {
			return errRecordConflict()
		}
	}
	return nil
}

func ms(t time.Time) *int64 { return dara.Int64(t.UnixMilli()) }

func dnsRecordBody(d *DNSDomain, rec *DNSRecord) *alidns.DescribeDomainRecordsResponseBodyDomainRecordsRecord {
	b := &alidns.DescribeDomainRecordsResponseBodyDomainRecordsRecord{
		RecordId:        dara.String(rec.ID),
		DomainName:      dara.String(d.Name),
		RR:              dara.String(rec.RR),
		Type:            dara.String(rec.Type),
		Value:           dara.String(rec.Value),
		TTL:             dara.Int64(rec.TTL),
		Line:            dara.String(rec.Line),
		Status:          dara.String(rec.Status),
		Locked:          dara.Bool(rec.Locked),
		Weight:          dara.Int32(1),
		CreateTimestamp: ms(rec.Created),
		UpdateTimestamp: ms(rec.Updated),
	}
	if rec.Type == "MX" {
		b.Priority = dara.Int64(rec.Priority)
	}
	if rec.Remark != "" {
		b.Remark = dara.String(rec.Remark)
	}
	return b
}

// sortRecords orders records by creation (record IDs grow), newest first
// unless asc.
func sortRecords(recs []*DNSRecord, asc bool) {
	sort.SliceStable(recs, func(i, j int) bool {
		a, _ := strconv.ParseInt(recs[i].ID, 10, 64)
		b, _ := strconv.ParseInt(recs[j].ID, 10, 64)
		if asc {
			return a < b
		}
		return a > b
	})
}

// dnsRecordPage sorts records of zone d, pages them (PageSize at most
// maxSize) and answers them as DescribeDomainRecords does (the other record
// lists are narrower copies of it).
func dnsRecordPage(r *Request, d *DNSDomain, recs []*DNSRecord, asc bool, maxSize int) (*alidns.DescribeDomainRecordsResponseBody, error) {
	sortRecords(recs, asc)
	p, err := numberPage(r, len(recs), pageNumberMax, dnsDefaultPage, maxSize)
	if err != nil {
		return nil, err
	}
	list := []*alidns.DescribeDomainRecordsResponseBodyDomainRecordsRecord{}
	for _, rec := range pageOf(recs, p) {
		list = append(list, dnsRecordBody(d, rec))
	}
	return &alidns.DescribeDomainRecordsResponseBody{
		DomainRecords: &alidns.DescribeDomainRecordsResponseBodyDomainRecords{Record: list},
		TotalCount:    dara.Int64(int64(p.total)),
		PageNumber:    dara.Int64(int64(p.number)),
		PageSize:      dara.Int64(int64(p.size)),
	}, nil
}

func dnsDescribeDomainRecords(st *State, r *Request) (any, error) {
	d, err := dnsZone(st, r)
	if err != nil {
		return nil, err
	}
	asc := false
	switch dir := r.Get("Direction"); dir {
	case "", "DESC":
	case "ASC":
		asc = true
	default:
		return nil, InvalidParameter("Direction", dir, "ASC or DESC")
	}
	if ob := r.Get("OrderBy"); ob != "" && ob != "default" {
		return nil, InvalidParameter("OrderBy", ob, "default (the fake orders by creation time only)")
	}
	kw := r.Get("KeyWord")
	mode := r.Get("SearchMode")
	if mode == "" {
		if kw != "" {
			mode = "LIKE"
		} else {
			mode = "ADVANCED"
		}
	}
	if mode != "LIKE" && mode != "EXACT" && mode != "ADVANCED" {
		return nil, InvalidParameter("SearchMode", mode, "LIKE, EXACT or ADVANCED")
	}
	lc := strings.ToLower
	var recs []*DNSRecord
	for i := range d.Records {
		rec := &d.Records[i]
		switch mode {
		case "LIKE":
			if kw != "" && !strings.Contains(lc(rec.RR), lc(kw)) && !strings.Contains(lc(rec.Value), lc(kw)) {
				continue
			}
		case "EXACT":
			if kw != "" && rec.RR != kw && rec.Value != kw {
				continue
			}
		case "ADVANCED":
			if v := r.Get("RRKeyWord"); v != "" && !strings.Contains(lc(rec.RR), lc(v)) {
				continue
			}
			if v := r.Get("ValueKeyWord"); v != "" && !strings.Contains(lc(rec.Value), lc(v)) {
				continue
			}
			if v := r.Get("TypeKeyWord"); v != "" && v != rec.Type {
				continue
			}
			if v := r.Get("Type"); v != "" && v != rec.Type {
				continue
			}
			if v := r.Get("Line"); v != "" && v != rec.Line {
				continue
			}
			if v := r.Get("Status"); v != "" && !strings.EqualFold(v, rec.Status) {
				continue
			}
		}
		recs = append(recs, rec)
	}
	return dnsRecordPage(r, d, recs, asc, 500)
}

// splitSubDomain splits a full name into (zone, RR). With a DomainName the
// zone is that domain; without one it is the last two labels, so
// "a.www.example.com" is RR "a.www" of "example.com".
func splitSubDomain(st *State, sub, domainName string) (*DNSDomain, string, error) {
	sub = strings.ToLower(sub)
	zone := strings.ToLower(domainName)
	if zone == "" {
		labels := strings.Split(sub, ".")
		if len(labels) < 2 {
			return nil, "", Errorf(http.StatusBadRequest, "InvalidParameter", "The specified parameter SubDomain is not valid: %q.", sub)
		}
		zone = strings.Join(labels[len(labels)-2:], ".")
	}
	d, err := dnsDomain(st, zone)
	if err != nil {
		return nil, "", err
	}
	switch {
	case sub == zone:
		return d, "@", nil
	case strings.HasSuffix(sub, "."+zone):
		return d, strings.TrimSuffix(sub, "."+zone), nil
	}
	return nil, "", Errorf(http.StatusBadRequest, "InvalidParameter", "The specified parameter SubDomain %q is not a name inside %s.", sub, zone)
}

func dnsDescribeSubDomainRecords(st *State, r *Request) (any, error) {
	sub, err := r.Required("SubDomain")
	if err != nil {
		return nil, err
	}
	d, rr, err := splitSubDomain(st, sub, r.Get("DomainName"))
	if err != nil {
		return nil, err
	}
	typ, line := r.Get("Type"), r.Get("Line")
	if typ != "" && !contains(dnsRecordTypes, typ) {
		return nil, InvalidParameter("Type", typ, strings.Join(dnsRecordTypes, ", "))
	}
	var recs []*DNSRecord
	for i := range d.Records {
		rec := &d.Records[i]
		if rec.RR == rr && (typ == "" || rec.Type == typ) && (line == "" || rec.Line == line) {
			recs = append(recs, rec)
		}
	}
	records, err := dnsRecordPage(r, d, recs, false, 100)
	if err != nil {
		return nil, err
	}
	body := &alidns.DescribeSubDomainRecordsResponseBody{}
	return body, sdkProject(body, records)
}

func dnsDescribeDomainRecordInfo(st *State, r *Request) (any, error) {
	_, d, i, err := dnsRecordParam(st, r)
	if err != nil {
		return nil, err
	}
	b := &alidns.DescribeDomainRecordInfoResponseBody{}
	if err := sdkProject(b, dnsRecordBody(d, &d.Records[i])); err != nil {
		return nil, err
	}
	b.DomainId, b.PunyCode = dara.String(d.ID), dara.String(d.Name)
	return b, nil
}

func dnsAddDomainRecord(st *State, r *Request) (any, error) {
	d, err := dnsZone(st, r)
	if err != nil {
		return nil, err
	}
	rec, err := recordInput(d, r)
	if err != nil {
		return nil, err
	}
	if err := checkClash(d, rec, ""); err != nil {
		return nil, err
	}
	st.DNS.LastRecord++
	rec.ID = strconv.FormatInt(dnsRecordIDBase+st.DNS.LastRecord, 10)
	rec.Status = statusEnable
	rec.Created, rec.Updated = r.Now, r.Now
	d.Records = append(d.Records, rec)
	return &alidns.AddDomainRecordResponseBody{RecordId: dara.String(rec.ID)}, nil
}

func dnsUpdateDomainRecord(st *State, r *Request) (any, error) {
	id, d, i, err := dnsRecordParam(st, r)
	if err != nil {
		return nil, err
	}
	rec, err := recordInput(d, r)
	if err != nil {
		return nil, err
	}
	old := &d.Records[i]
	if old.Locked {
		return nil, errRecordLocked()
	}
	if old.RR == rec.RR && old.Type == rec.Type && sameValue(rec.Type, old.Value, rec.Value) &&
		old.TTL == rec.TTL && old.Line == rec.Line && old.Priority == rec.Priority {
		return nil, errRecordDuplicate() // an update that changes nothing
	}
	if err := checkClash(d, rec, id); err != nil {
		return nil, err
	}
	old.RR, old.Type, old.Value, old.TTL, old.Line, old.Priority = rec.RR, rec.Type, rec.Value, rec.TTL, rec.Line, rec.Priority
	old.Updated = r.Now
	return &alidns.UpdateDomainRecordResponseBody{RecordId: dara.String(id)}, nil
}

func dnsUpdateDomainRecordRemark(st *State, r *Request) (any, error) {
	_, d, i, err := dnsRecordParam(st, r)
	if err != nil {
		return nil, err
	}
	remark := r.Get("Remark")
	if utf8.RuneCountInString(remark) > dnsMaxRemark {
		return nil, InvalidParameter("Remark", remark, fmt.Sprintf("at most %d characters", dnsMaxRemark))
	}
	d.Records[i].Remark = remark
	d.Records[i].Updated = r.Now
	return &alidns.UpdateDomainRecordRemarkResponseBody{}, nil
}

func dnsDeleteDomainRecord(st *State, r *Request) (any, error) {
	id, d, i, err := dnsRecordParam(st, r)
	if err != nil {
		return nil, err
	}
	if d.Records[i].Locked {
		return nil, errRecordLocked()
	}
	d.Records = append(d.Records[:i], d.Records[i+1:]...)
	return &alidns.DeleteDomainRecordResponseBody{RecordId: dara.String(id)}, nil
}

func dnsDeleteSubDomainRecords(st *State, r *Request) (any, error) {
	name, err := r.Required("DomainName")
	if err != nil {
		return nil, err
	}
	rr, err := r.Required("RR")
	if err != nil {
		return nil, err
	}
	d, err := dnsDomain(st, name)
	if err != nil {
		return nil, err
	}
	typ := r.Get("Type")
	if typ != "" && !contains(dnsRecordTypes, typ) {
		return nil, InvalidParameter("Type", typ, strings.Join(dnsRecordTypes, ", "))
	}
	kept := d.Records[:0:0]
	n := 0
	for _, rec := range d.Records {
		if rec.RR == rr && (typ == "" || rec.Type == typ) && !rec.Locked {
			n++
			continue
		}
		kept = append(kept, rec)
	}
	if n == 0 {
		return nil, Errorf(http.StatusBadRequest, "InvalidRR.NoExist", "The specified RR %q has no records to delete.", rr)
	}
	d.Records = kept
	return &alidns.DeleteSubDomainRecordsResponseBody{RR: dara.String(rr), TotalCount: dara.String(strconv.Itoa(n))}, nil
}

func dnsSetDomainRecordStatus(st *State, r *Request) (any, error) {
	id, err := r.Required("RecordId")
	if err != nil {
		return nil, err
	}
	status, err := r.Required("Status")
	if err != nil {
		return nil, err
	}
	stored, ok := dnsStatusArgs[status]
	if !ok {
		return nil, InvalidParameter("Status", status, "Enable or Disable")
	}
	d, i, err := dnsRecord(st, id)
	if err != nil {
		return nil, err
	}
	d.Records[i].Status = stored
	d.Records[i].Updated = r.Now
	return &alidns.SetDomainRecordStatusResponseBody{RecordId: dara.String(id), Status: dara.String(status)}, nil
}
