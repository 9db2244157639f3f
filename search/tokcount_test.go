package search

import (
	"fmt"
	"strings"
	"testing"
)

func TestTokCount(t *testing.T) {
	ps := genPlaces(t, 2000)
	var tot [6]int
	for _, p := range ps {
		nt := tokenize(p.Name)
		for i, s := range []string{nt.exact, nt.prefix, nt.sub, nt.pinyin, nt.initials, nt.pysub} {
			tot[i] += len(strings.Fields(s))
		}
	}
	fmt.Println("exact,prefix,sub,pinyin,initials,pysub per name:", float64(tot[0])/2000, float64(tot[1])/2000, float64(tot[2])/2000, float64(tot[3])/2000, float64(tot[4])/2000, float64(tot[5])/2000)
	fmt.Println(ps[0].Name, ps[1].Name, ps[2].Name, ps[3].Name, tokenize(ps[0].Name))
}
