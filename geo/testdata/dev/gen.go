//go:build ignore

// gen turns the dev-set sources (LANG.src.txt: one report a line, each gold
// mention marked [surface|gazetteer id]) into gold JSONL (LANG.jsonl) with
// code-point offsets and the point of the bundled gazetteer's place.
//
//	go run ./geo/testdata/dev/gen.go ar uk ru
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/geotag/geotag/gazetteer"
)

type toponym struct {
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Name      string  `json:"name"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	GeonameID int64   `json:"geonameid"`
}

func main() {
	g, err := gazetteer.Open()
	if err != nil {
		fail(err)
	}
	dir := filepath.Join("geo", "testdata", "dev")
	for _, lang := range os.Args[1:] {
		in, err := os.Open(filepath.Join(dir, lang+".src.txt"))
		if err != nil {
			fail(err)
		}
		out, err := os.Create(filepath.Join(dir, lang+".jsonl"))
		if err != nil {
			fail(err)
		}
		sc := bufio.NewScanner(in)
		n := 0
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			n++
			var text []rune
			var tops []toponym
			rs := []rune(line)
			for i := 0; i < len(rs); i++ {
				if rs[i] != '[' {
					text = append(text, rs[i])
					continue
				}
				j := i + 1
				for rs[j] != ']' {
					j++
				}
				surface, idText, ok := strings.Cut(string(rs[i+1:j]), "|")
				if !ok {
					fail(fmt.Errorf("%s:%d: %q has no id", lang, n, string(rs[i:j+1])))
				}
				id, err := strconv.ParseInt(idText, 10, 64)
				if err != nil {
					fail(err)
				}
				p, ok := g.Place(id)
				if !ok {
					fail(fmt.Errorf("%s:%d: no place %d", lang, n, id))
				}
				start := len(text)
				text = append(text, []rune(surface)...)
				tops = append(tops, toponym{start, len(text), surface, p.Lat, p.Lon, id})
				i = j
			}
			b, _ := json.Marshal(struct {
				ID       string    `json:"id"`
				Text     string    `json:"text"`
				Toponyms []toponym `json:"toponyms"`
			}{fmt.Sprintf("%s-%02d", lang, n), string(text), tops})
			out.Write(append(b, '\n'))
		}
		out.Close()
		in.Close()
		fmt.Printf("%s: %d reports\n", lang, n)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
