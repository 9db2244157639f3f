package pmtiles

import "fmt"

// MaxZoom is the deepest zoom whose tile IDs fit in a uint64 (spec §4.1
// allows 0–31; Wumen never goes near it).
const MaxZoom = 31

// ZxyToID returns the PMTiles tile ID of z/x/y (spec §4.1): the number of
// tiles at all lower zooms plus the tile's position on the zoom's Hilbert
// curve.
func ZxyToID(z uint8, x, y uint32) uint64 {
	acc := (uint64(1)<<(2*uint64(z)) - 1) / 3
	n := uint64(1) << z
	tx, ty := uint64(x), uint64(y)
	var d uint64
	for s := n / 2; s > 0; s /= 2 {
		var rx, ry uint64
		if tx&s != 0 {
			rx = 1
		}
		if ty&s != 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		tx, ty = rotate(n, tx, ty, rx, ry)
	}
	return acc + d
}

// IDToZxy is the inverse of ZxyToID.
func IDToZxy(id uint64) (z uint8, x, y uint32) {
	var acc uint64
	for z = 0; z <= MaxZoom; z++ {
		count := uint64(1) << (2 * uint64(z))
		if id < acc+count {
			break
		}
		acc += count
	}
	t := id - acc
	var tx, ty uint64
	for s := uint64(1); s < uint64(1)<<z; s *= 2 {
		rx := 1 & (t / 2)
		ry := 1 & (t ^ rx)
		tx, ty = rotate(s, tx, ty, rx, ry)
		tx += s * rx
		ty += s * ry
		t /= 4
	}
	return z, uint32(tx), uint32(ty)
}

// rotate turns a quadrant of the Hilbert curve so sub-curves join up.
func rotate(n, x, y, rx, ry uint64) (uint64, uint64) {
	if ry == 0 {
		if rx == 1 {
			x = n - 1 - x
			y = n - 1 - y
		}
		x, y = y, x
	}
	return x, y
}

func checkTile(z uint8, x, y uint32) error {
	if z > MaxZoom || uint64(x) >= uint64(1)<<z || uint64(y) >= uint64(1)<<z {
		return fmt.Errorf("pmtiles: tile %d/%d/%d out of range", z, x, y)
	}
	return nil
}
