// Package icon draws Wumen's app icon — the character 吴 in white on the
// site's dark red, in a rounded square, as static/img/icon.svg shows it — as
// a PNG of any size, for the web app manifest (browsers that install a web
// app want 192 and 512 pixel PNGs). The strokes are drawn as segments, so no
// font is needed and the same bytes come out on every machine.
package icon

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Sizes are the icons the manifest lists.
var Sizes = []int{192, 512}

// background is the site's theme colour (#7a1f1f).
var background = color.NRGBA{0x7a, 0x1f, 0x1f, 0xff}

type point struct{ x, y float64 }

// strokes of 吴 in the unit square, as polylines: 口, then the two
// horizontals and the two falling strokes of the part below it.
var strokes = [][]point{
	{{0.34, 0.15}, {0.34, 0.38}},
	{{0.34, 0.15}, {0.66, 0.15}, {0.66, 0.38}},
	{{0.34, 0.38}, {0.66, 0.38}},
	{{0.30, 0.50}, {0.70, 0.50}},
	{{0.20, 0.64}, {0.80, 0.64}},
	{{0.50, 0.50}, {0.47, 0.70}, {0.22, 0.87}},
	{{0.53, 0.67}, {0.80, 0.87}},
}

const (
	strokeWidth = 0.075
	radius      = 12.0 / 64 // of the corners, as in icon.svg
	samples     = 4         // per pixel and axis
)

// PNG returns the icon size×size pixels large, PNG-encoded.
func PNG(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			var inside, white int
			for sy := range samples {
				for sx := range samples {
					p := point{(float64(x) + (float64(sx)+0.5)/samples) / float64(size), (float64(y) + (float64(sy)+0.5)/samples) / float64(size)}
					if !inRoundedSquare(p) {
						continue
					}
					inside++
					if onStroke(p) {
						white++
					}
				}
			}
			if inside == 0 {
				continue
			}
			// White over the background in the covered share, the
			// square's edge as alpha.
			f := float64(white) / float64(inside)
			mix := func(c uint8) uint8 { return uint8(math.Round(float64(c)*(1-f) + 255*f)) }
			img.SetNRGBA(x, y, color.NRGBA{mix(background.R), mix(background.G), mix(background.B), uint8(math.Round(255 * float64(inside) / samples / samples))})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // an in-memory image always encodes
	}
	return b.Bytes()
}

func inRoundedSquare(p point) bool {
	cx := math.Max(radius, math.Min(1-radius, p.x))
	cy := math.Max(radius, math.Min(1-radius, p.y))
	return math.Hypot(p.x-cx, p.y-cy) <= radius
}

func onStroke(p point) bool {
	for _, s := range strokes {
		for i := 1; i < len(s); i++ {
			if distance(p, s[i-1], s[i]) <= strokeWidth/2 {
				return true
			}
		}
	}
	return false
}

// distance from p to the segment ab.
func distance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}
