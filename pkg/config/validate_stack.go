// Top-level fields: stack name, region, the load-balancer kind and its ID.

package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	stackRE  = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	regionRE = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)
	albIDRE  = regexp.MustCompile(`^alb-[a-z0-9]{4,64}$`)
	clbIDRE  = regexp.MustCompile(`^lb-[a-z0-9]{4,64}$`)
)

func (v *validator) stackName(name string) {
	const path = "stack"
	const rule = "2–32 lowercase letters, digits and '-', starting with a letter and not ending with '-'"
	if !v.present(path, name, `add a line such as "stack: chat" (`+rule+"); it becomes part of every resource name and tag wsdeploy creates") ||
		stackRE.MatchString(name) && len(name) <= 32 {
		return
	}
	var why string
	n := utf8.RuneCountInString(name)
	switch {
	case n > 32:
		why = fmt.Sprintf("is too long (%d characters, at most 32)", n)
	case n < 2:
		why = "is too short (at least 2 characters)"
	case strings.ToLower(name) != name:
		why = "contains upper-case letters"
	case name[0] < 'a' || name[0] > 'z':
		why = "must start with a letter"
	case strings.HasSuffix(name, "-"):
		why = "must not end with '-'"
	default:
		for _, r := range name {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				why = fmt.Sprintf("contains %q, which is not allowed", r)
				break
			}
		}
	}
	fix := "use " + rule
	if sug := suggestStack(name); sug != "" {
		fix = fmt.Sprintf("use %q (%s)", sug, rule)
	}
	v.add(path, q(name), why, fix)
}

// suggestStack turns "My_App" into "my-app" when that is a valid stack name.
func suggestStack(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimLeft(b.String(), "0123456789-")
	if len(s) > 32 {
		s = s[:32]
	}
	s = strings.TrimRight(s, "-")
	if s == name || !stackRE.MatchString(s) {
		return ""
	}
	return s
}

func (v *validator) region(r string, fromFlag bool) {
	const path = "region"
	const examples = "a region ID such as cn-hangzhou, cn-shanghai, cn-beijing or ap-southeast-1"
	if !v.present(path, r, `add a line such as "region: cn-hangzhou" or pass --region; use `+examples) {
		return
	}
	if isRegion(r) {
		return
	}
	msg := "is not a region ID"
	if fromFlag {
		msg += " (from --region)"
	}
	fix := "use " + examples + ` (the ID, not a display name like "China (Hangzhou)")`
	if sug := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(r)), "_", "-"); sug != r && isRegion(sug) {
		fix = fmt.Sprintf("use %q", sug)
	}
	v.add(path, q(r), msg, fix)
}

func isRegion(r string) bool { return regionRE.MatchString(r) && len(r) <= 64 }

func (v *validator) lb(s *Stack, src lbSource) {
	switch s.LB {
	case LBALB, LBCLB:
	default:
		if !v.present("lb", s.LB, "set lb: alb (Application Load Balancer) or lb: clb (Classic Load Balancer)") {
			break
		}
		msg := "is not a supported load balancer kind"
		if src.from == "--lb" {
			msg += " (from --lb)"
		}
		fix := "use alb (Application Load Balancer) or clb (Classic Load Balancer)"
		if l := strings.ToLower(s.LB); l == LBALB || l == LBCLB {
			fix = fmt.Sprintf("write %q in lower case", l)
		} else if l == "slb" {
			fix = "CLB was formerly called SLB: use clb"
		}
		v.add("lb", q(s.LB), msg, fix)
	}
	v.lbRef("alb", s.ALB, s.LB == LBALB, src)
	v.lbRef("clb", s.CLB, s.LB == LBCLB, src)
}

func (v *validator) lbRef(kind string, ref *LBRef, chosen bool, src lbSource) {
	path := kind + ".id"
	re, prefix, product, other, otherPrefix := albIDRE, "alb-", "ALB", "clb", "lb-"
	if kind == "clb" {
		re, prefix, product, other, otherPrefix = clbIDRE, "lb-", "CLB", "alb", "alb-"
	}
	example := prefix + "bp1xxxxxxxxxxxxxxxxx"
	if ref != nil && ref.Create != nil {
		if ref.ID != "" {
			v.add(kind, "", "sets both id and create",
				fmt.Sprintf("keep %s.id to use your existing %s, or %s.create to have wsdeploy create one, not both", kind, product, kind))
			return
		}
		v.lbCreate(kind, ref.Create)
		return
	}
	if ref == nil || ref.ID == "" {
		if chosen {
			fix := fmt.Sprintf("add \"%s: {id: %s}\" with the ID of your existing %s (shown in the %s console), or %s \"%s: {create: …}\" block to have wsdeploy create one", kind, example, product, product, article(kind), kind)
			fix += fmt.Sprintf(", or use --lb %s with %s %s: block", other, article(other), other)
			v.add(path, "", "required field is missing: "+src.String(), fix)
		}
		return
	}
	if !v.text(path, ref.ID) || re.MatchString(ref.ID) {
		return
	}
	msg := fmt.Sprintf("is not a valid %s ID", product)
	fix := fmt.Sprintf("use the instance ID from the %s console: %s followed by 4–64 lowercase letters and digits, e.g. %s", product, prefix, example)
	switch l := strings.ToLower(strings.TrimSpace(ref.ID)); {
	case l != ref.ID && re.MatchString(l):
		fix = fmt.Sprintf("write it in lower case: %q", l)
	case strings.HasPrefix(l, otherPrefix):
		o := strings.ToUpper(other)
		msg = fmt.Sprintf("looks like %s %s ID, not %s %s ID", article(o), o, article(product), product)
		fix = fmt.Sprintf("move it to %s.id and set lb: %s (or pass --lb %s)", other, other, other)
	}
	v.add(path, q(ref.ID), msg, fix)
}
