package officer

import (
	"strconv"

	"wumen/gazetteer/review"
)

type reviewAttachment = review.Attachment

func itoa(i int) string { return strconv.Itoa(i) }
