package main

import (
	"strings"

	"wumen/gazetteer/formats"
)

// formatHelp is a --format flag's help: each format with what it is.
func formatHelp(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(n)
		if f, ok := formats.Get(n); ok {
			b.WriteString(" (" + f.Title + ")")
		}
	}
	return b.String()
}
