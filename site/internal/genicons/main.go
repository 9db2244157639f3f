// Command genicons writes the PNG app icons of the web app manifest
// (site/static/img/icon-192.png, icon-512.png) from package icon; run by
// go generate ./site.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"wumen/site/internal/icon"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genicons DIR")
		os.Exit(2)
	}
	for _, n := range icon.Sizes {
		name := filepath.Join(os.Args[1], fmt.Sprintf("icon-%d.png", n))
		if err := os.WriteFile(name, icon.PNG(n), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
