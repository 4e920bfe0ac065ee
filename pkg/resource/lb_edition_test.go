package resource

import "testing"

// TestDiffLBSpecEdition: the ALB edition changes UpdateLoadBalancerEdition
// makes are in place; every other edition change takes a new ALB, with the
// reason why.
func TestDiffLBSpecEdition(t *testing.T) {
	editions := []string{"Basic", "Standard", "StandardWithWaf"}
	inPlace := map[[2]string]bool{
		{"Basic", "Standard"}: true, {"Basic", "StandardWithWaf"}: true, {"StandardWithWaf", "Standard"}: true,
	}
	for _, from := range editions {
		for _, to := range editions {
			d := DiffLBSpec(LBSpec{Type: "alb", Edition: from}, LBSpec{Type: "alb", Edition: to})
			if from == to {
				if len(d) != 0 {
					t.Errorf("%s → %s: %+v, want no change", from, to, d)
				}
				continue
			}
			want := inPlace[[2]string{from, to}]
			if len(d) != 1 || d[0].Field != "edition" || d[0].InPlace != want || (d[0].Why == "") != want {
				t.Errorf("%s → %s: %+v, want one edition change, in place %v, a reason when not", from, to, d, want)
			}
		}
	}
}
