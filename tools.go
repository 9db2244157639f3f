//go:build tools

package tools

import (
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/chromedp/chromedp"
	_ "github.com/mozillazg/go-pinyin"
	_ "github.com/paulmach/orb"
	_ "golang.org/x/crypto/argon2"
	_ "modernc.org/sqlite"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/prometheus/client_golang/prometheus"
)

