package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
)

// precompressedFiles are the files of a static build also written
// compressed beside themselves, name.br (brotli) and name.gz (gzip), for
// hosts that serve a precompressed sibling when the browser accepts it
// (nginx brotli_static and gzip_static, Caddy's file_server precompressed,
// most CDNs). They are the static search, loaded when a visitor first uses
// a search box: with brotli it stays within its transfer budget (BENCHMARKS.md,
// static search), with gzip alone it does not.
var precompressedFiles = []string{"/static/search/search.wasm", "/static/vendor/wasm_exec.js", searchIndexPath}

// writePrecompressed writes rel.br and rel.gz of b when rel is one of
// precompressedFiles.
func writePrecompressed(write func(string, []byte) error, rel string, b []byte) error {
	if !slices.Contains(precompressedFiles, rel) {
		return nil
	}
	br := brotliQuick(b)
	if strings.HasPrefix(rel, "/static/") {
		br = brotliBest(b) // an embedded asset: the same bytes every build
	}
	if err := write(rel+".br", br); err != nil {
		return err
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return write(rel+".gz", z.Bytes())
}

// brotliQuick compresses b at brotli quality 9: for the built index, new
// every build, 0.2 s and 18% larger than the best quality's 5 s.
func brotliQuick(b []byte) []byte {
	var out bytes.Buffer
	w := brotli.NewWriterLevel(&out, 9)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// brotliBest compresses b at brotli's best quality. That takes about 25 s
// for the 5 MB search.wasm, so the result is kept in the user's cache
// directory under the hash of b (search.wasm changes only with the binary);
// without a cache directory it compresses at quality 9 (1.6 s, 13% larger).
func brotliBest(b []byte) []byte {
	sum := sha256.Sum256(b)
	dir, err := os.UserCacheDir()
	if err != nil {
		return brotliQuick(b)
	}
	cached := filepath.Join(dir, "wumen", "precompressed", hex.EncodeToString(sum[:])+".br")
	if c, err := os.ReadFile(cached); err == nil {
		return c
	}
	var out bytes.Buffer
	w := brotli.NewWriterLevel(&out, brotli.BestCompression)
	w.Write(b)
	w.Close()
	if os.MkdirAll(filepath.Dir(cached), 0o755) == nil {
		if f, err := os.CreateTemp(filepath.Dir(cached), "*.tmp"); err == nil {
			_, werr := f.Write(out.Bytes())
			if cerr := f.Close(); werr == nil && cerr == nil {
				os.Rename(f.Name(), cached)
			}
			os.Remove(f.Name())
		}
	}
	return out.Bytes()
}
