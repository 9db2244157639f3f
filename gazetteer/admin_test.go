package gazetteer_test

import (
	"reflect"
	"strings"
	"testing"

	"wumen/gazetteer"
)

func TestAdminIndexResolve(t *testing.T) {
	a := gazetteer.NewAdminIndex(map[string]string{"3205": "苏州市", "320508": "姑苏区", "320506": "吴中区",
		"320508001": "平江街道", "320506100": "木渎镇", "320506100201": "新桥村", "320505004201": "新桥村", "320505": "虎丘区",
		"320505004": "东渚街道"})
	for in, want := range map[string][]string{
		"苏州市姑苏区平江街道": {"3205", "320508", "320508001"},
		"江苏省苏州市姑苏区":  {"3205", "320508"},
		"姑苏区平江街道":    {"3205", "320508", "320508001"},
		"吴中区木渎镇新桥村":  {"3205", "320506", "320506100", "320506100201"},
		"姑苏区、吴中区":    {"3205", "320508", "320506"},
		"320506100":  {"3205", "320506", "320506100"},
		"木渎镇":        {"3205", "320506", "320506100"},
	} {
		got, err := a.Resolve(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Resolve(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{"新桥村": "more than one", "上海市": "not an administrative unit", "姑苏区木渎镇": "no unit", "999999": "not the statistical code"} {
		if _, err := a.Resolve(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Resolve(%q) err = %v, want %q", in, err, msg)
		}
	}
}
