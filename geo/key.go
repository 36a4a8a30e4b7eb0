package geo

// asciiKey appends to dst the key geotag.TokenKeys gives an ASCII word made
// of letters, digits and apostrophes only, without allocating. ok is false
// for any other word, which the caller hands to geotag.TokenKeys.
// TestASCIIKeyMatchesTokenKeys and FuzzASCIIKey keep the two in step.
func asciiKey(dst []byte, word string) ([]byte, bool) {
	for i := 0; i < len(word); i++ {
		c := word[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '\'' || c == '`') {
			return dst, false
		}
	}
	start := len(dst)
	var prev byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c == '\'' || c == '`' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == prev && 'a' <= c && c <= 'z' {
			continue
		}
		dst = append(dst, c)
		prev = c
	}
	k := dst[start:]
	if n := len(k); n >= 5 {
		switch {
		case hasSuffix(k, "iyah"), hasSuffix(k, "iyeh"):
			dst = append(dst[:len(dst)-4], "iya"...)
		case hasSuffix(k, "ieh"):
			dst = append(dst[:len(dst)-3], "iya"...)
		case hasSuffix(k, "ah"), hasSuffix(k, "eh"):
			dst = append(dst[:len(dst)-2], 'a')
		}
	}
	return dst, true
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}
