package frontend

import (
	"embed"
	"io/fs"
)

//go:embed index.html favicon.svg css js vendor
var files embed.FS

// FS returns the page's files, rooted at the directory holding index.html.
func FS() fs.FS { return files }
