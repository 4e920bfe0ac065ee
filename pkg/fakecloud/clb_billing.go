package fakecloud

// How a CLB instance is billed: InstanceChargeType (PayByCLCU, or the
// discontinued PayBySpec with a LoadBalancerSpec), InternetChargeType
// (paybytraffic | paybybandwidth, the values the SDK documents) and, for
// pay-by-bandwidth, Bandwidth.
//
// End of sale (vendor notices, confirmed): as of 2025-06-01 00:00 UTC+8
// (alibabacloud.com; the China site's page says 2026-01-01; both are past)
// pay-by-specification CLB instances can no longer be bought, and the
// CreateLoadBalancer page says pay-as-you-go instances support only
// pay-by-LCU; shared-resource instances (no LoadBalancerSpec) were withdrawn
// earlier. So a create must say InstanceChargeType=PayByCLCU:
//   - PayBySpec (given, or the SDK's default) with a LoadBalancerSpec: 400
//     PayBySpecSlbHaltSales (code unconfirmed: invented after the real
//     ShareSlbHaltSales; the vendor's error table was not found);
//   - PayBySpec without a LoadBalancerSpec (a shared-resource instance): 400
//     ShareSlbHaltSales (the code Terraform's provider met, PR #5770; status
//     and message unconfirmed).
// Existing pay-by-spec instances (seeded, or in an older state file) keep
// working, and ModifyLoadBalancerInstanceSpec still changes their spec.
//
// InternetChargeType: default paybytraffic; with PayByCLCU only
// paybytraffic (SDK model); on an intranet instance (no public address)
// only paybytraffic too (stricter: the API may ignore it). paybybandwidth
// needs Bandwidth (stricter: the API may default it). Bandwidth, when given,
// is 1-5120 Mbit/s (SDK model) even where it does not apply. Violations:
// 400 InvalidParameter (codes unconfirmed). DescribeLoadBalancers and
// DescribeLoadBalancerAttribute answer what the create (or the seed) said;
// Bandwidth is the pay-by-bandwidth cap, else 5120.

import (
	"net/http"
	"strconv"
)

// CLB InternetChargeType values (SDK model).
const (
	clbPayByTraffic   = "paybytraffic"
	clbPayByBandwidth = "paybybandwidth"
	// clbMaxBandwidth is the highest Bandwidth (Mbit/s), and what an
	// instance billed by traffic reports.
	clbMaxBandwidth = 5120
)

// clbBilling is how a new instance is billed.
type clbBilling struct {
	charge, spec string // InstanceChargeType, LoadBalancerSpec
	internet     string // InternetChargeType
	bandwidth    int    // the pay-by-bandwidth cap, 0 otherwise
}

// clbCreateBilling reads a CreateLoadBalancer's billing parameters.
func clbCreateBilling(r *Request, addrType string) (clbBilling, error) {
	var b clbBilling
	if _, err := r.Enum("PayType", "", "PayOnDemand"); err != nil {
		return b, err
	}
	var err error
	if b.charge, err = r.Enum("InstanceChargeType", "PayBySpec", "PayBySpec", "PayByCLCU"); err != nil {
		return b, err
	}
	if b.spec, err = r.Enum("LoadBalancerSpec", "", clbSpecs...); err != nil {
		return b, err
	}
	if b.internet, err = r.Enum("InternetChargeType", clbPayByTraffic, clbPayByTraffic, clbPayByBandwidth); err != nil {
		return b, err
	}
	var bw int
	if err := r.OptInt("Bandwidth", 1, clbMaxBandwidth, &bw); err != nil {
		return b, err
	}
	switch {
	case b.charge == "PayByCLCU" && b.spec != "":
		return b, InvalidParameter("LoadBalancerSpec", b.spec, "no spec with InstanceChargeType PayByCLCU")
	case b.charge == "PayBySpec" && b.spec != "":
		return b, Errorf(http.StatusBadRequest, "PayBySpecSlbHaltSales",
			"Pay-by-specification CLB instances are no longer sold (since 2025-06-01); create one with InstanceChargeType PayByCLCU.")
	case b.charge == "PayBySpec":
		return b, Errorf(http.StatusBadRequest, "ShareSlbHaltSales",
			"Shared-resource CLB instances are no longer sold; create one with InstanceChargeType PayByCLCU.")
	}
	if b.internet == clbPayByBandwidth {
		switch {
		case b.charge == "PayByCLCU":
			return b, InvalidParameter("InternetChargeType", b.internet, "paybytraffic with InstanceChargeType PayByCLCU")
		case addrType != "internet":
			return b, InvalidParameter("InternetChargeType", b.internet, "paybytraffic for an intranet instance")
		case bw == 0:
			return b, MissingParameter("Bandwidth")
		}
		b.bandwidth = bw
	}
	return b, nil
}

// internetCharge is the instance's InternetChargeType (an instance from an
// older state file has none: paybytraffic).
func (lb *CLBInstance) internetCharge() string {
	if lb.InternetChargeType == "" {
		return clbPayByTraffic
	}
	return lb.InternetChargeType
}

// bandwidth is what the instance reports as Bandwidth.
func (lb *CLBInstance) bandwidth() int {
	if lb.internetCharge() == clbPayByBandwidth && lb.Bandwidth > 0 {
		return lb.Bandwidth
	}
	return clbMaxBandwidth
}

// checkCLBSeedBilling checks a seeded CLB's internetChargeType and bandwidth.
func checkCLBSeedBilling(where string, c SeedCLB, bad func(string, ...any)) {
	switch c.InternetChargeType {
	case "", clbPayByTraffic:
		if c.Bandwidth != 0 {
			bad("%s: bandwidth is only for internetChargeType %s", where, clbPayByBandwidth)
		}
	case clbPayByBandwidth:
		if c.Bandwidth < 1 || c.Bandwidth > clbMaxBandwidth {
			bad("%s: internetChargeType %s needs bandwidth 1-%d (Mbit/s), not %s", where, clbPayByBandwidth, clbMaxBandwidth, strconv.Itoa(c.Bandwidth))
		}
		if clbAddressType(c.Address) != "internet" {
			bad("%s: internetChargeType %s is for an internet address, not %s", where, clbPayByBandwidth, c.Address)
		}
	default:
		bad("%s: internetChargeType %q is not %s or %s", where, c.InternetChargeType, clbPayByTraffic, clbPayByBandwidth)
	}
}
