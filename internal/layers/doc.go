// Package layers holds no code: its test reads the import graph of the
// module and holds it to the layers of docs/layers.md (the table in
// layers_test.go), keeps the search package's files short, and holds the
// comments to cite design documents that are in the repository (docs/).
package layers
