package site

// The static site's search is the Go search compiled to WebAssembly
// (search/wasm) over the compact index a static build writes
// (search/index.json, build.go); the runtime glue is the toolchain's
// wasm_exec.js. Both are committed, so building a site needs no Go for
// WebAssembly on the user's machine; TestStaticSearchAssetsCurrent fails
// when they differ from what this generates.
//go:generate env GOOS=js GOARCH=wasm go build -trimpath -buildvcs=false -ldflags=-s -o static/search/search.wasm ../search/wasm
//go:generate sh -c "cp \"$(go env GOROOT)/lib/wasm/wasm_exec.js\" static/vendor/wasm_exec.js"
