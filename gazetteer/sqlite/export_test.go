package sqlite

// SetMaxPackedBoxes sets the bound of the R*Tree entries a bulk load keeps
// to pack, for a test of a load beyond it; restore sets it back.
func SetMaxPackedBoxes(n int) (restore func()) {
	old := maxPackedBoxes
	maxPackedBoxes = n
	return func() { maxPackedBoxes = old }
}
