// Package layers holds no code: its test reads the import graph of the
// module and holds it to the layers of docs/layers.md (the table in
// layers_test.go), and keeps the search package's files short.
package layers
