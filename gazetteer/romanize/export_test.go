package romanize

// NeutralContexts returns the context words of overrides.tsv whose reading is
// toneless: the listed exceptions to the no-neutral-tone rule (狮子, 衙门).
func NeutralContexts() []string {
	var out []string
	for _, o := range data().overrides {
		if !toneMarked(o.Reading) {
			out = append(out, string(o.Context))
		}
	}
	return out
}
