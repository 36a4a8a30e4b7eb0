package gazetteer

import (
	"bytes"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/geotag/geotag"
)

// naiveScan is frontKeys.decode's checks and prefixes written plainly: every key's order checked against
// the previous one, every space of every key read, every prefix hashed
// and deduplicated by sorting.
func naiveScan(seed maphash.Seed, keys []string) (hashes []uint64, maxTokens int, ok bool) {
	for i, k := range keys {
		if k == "" || i > 0 && keys[i-1] >= k {
			return nil, 0, false
		}
		maxTokens = max(maxTokens, strings.Count(k, " ")+1)
		for j := range len(k) {
			if k[j] == ' ' {
				hashes = append(hashes, maphash.String(seed, k[:j]))
			}
		}
	}
	slices.Sort(hashes)
	return slices.Compact(hashes), maxTokens, true
}

// frontRoundTrip writes keys as encodeKeys does and reads them back.
func frontRoundTrip(seed maphash.Seed, keys []string) (*frontKeys, error) {
	var e enc
	encodeKeys(&e, keys)
	return readKeys(e.b, seed)
}

// TestFrontKeys: keys written front-coded read back the same, with the
// prefixes, the longest key and the order errors that a plain scan of
// every byte finds.
func TestFrontKeys(t *testing.T) {
	seed := maphash.MakeSeed()
	for _, keys := range [][]string{
		{},
		{"a"},
		{"a", "a b", "a b c", "a bc", "a c", "ab", "ab c d e", "b"},
		{"new", "new york", "new york city", "newark", "newark bay"},
		{"x y", "x yz", "xy z", "xy z\xff", "\xff"},
		{"jabal al arab district", "jabal al arab district of the south", "jabal al arab districts", "jabal al arabiyya mountains north", "jabal b"},
		{"b", "a"},
		{"a", "a"},
		{"a b", "a"},
		{""},
		{"a", ""},
		{"ab c", "ab b"},
	} {
		fk, err := frontRoundTrip(seed, keys)
		want, wantMax, wantOK := naiveScan(seed, keys)
		if (err == nil) != wantOK {
			t.Errorf("%q: error %v, want ok %v", keys, err, wantOK)
			continue
		}
		if err != nil {
			if geotag.ErrorCode(err) != geotag.EINVALID {
				t.Errorf("%q: error %v is not EINVALID", keys, err)
			}
			continue
		}
		got := slices.Clone(fk.hashes)
		slices.Sort(got)
		if fk.maxTokens != wantMax || !slices.Equal(got, want) {
			t.Errorf("%q: %d prefixes, %d tokens; want %d, %d", keys, len(got), fk.maxTokens, len(want), wantMax)
		}
		if len(got) != len(slices.Compact(slices.Clone(got))) {
			t.Errorf("%q: a prefix hashed twice", keys)
		}
		for i, k := range keys {
			if s := string(fk.out[fk.off[i]:fk.off[i+1]]); s != k {
				t.Errorf("%q: key %d reads back %q", keys, i, s)
			}
		}
	}
}

// TestFrontKeysDamaged: a keys section cut short is refused, and one with
// any byte changed is read without panicking.
func TestFrontKeysDamaged(t *testing.T) {
	var e enc
	encodeKeys(&e, []string{"al bab", "al bab district", "aleppo", "aleppo governorate"})
	seed := maphash.MakeSeed()
	if _, err := readKeys(e.b, seed); err != nil {
		t.Fatal(err)
	}
	for n := range len(e.b) {
		if _, err := readKeys(e.b[:n], seed); err == nil {
			t.Errorf("%d of %d bytes read", n, len(e.b))
		}
	}
	for i := range e.b {
		for _, v := range []byte{0, 1, 0x7f, 0xff} {
			b := slices.Clone(e.b)
			b[i] = v
			readKeys(b, seed) // must not panic
		}
	}
}

// TestFrontKeysBundled: the bundled keys, read front-coded, are unique
// and sorted; their prefixes and longest key are what a plain scan finds.
func TestFrontKeysBundled(t *testing.T) {
	if testing.Short() {
		t.Skip("decompresses the bundled keys")
	}
	secs, err := splitSections(bundled)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := unzstd(secs[2])
	if err != nil {
		t.Fatal(err)
	}
	seed := maphash.MakeSeed()
	fk, err := readKeys(raw, seed)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(fk.off)-1)
	for i := range keys {
		keys[i] = string(fk.out[fk.off[i]:fk.off[i+1]])
	}
	want, wantMax, wantOK := naiveScan(seed, keys)
	got := slices.Clone(fk.hashes)
	slices.Sort(got)
	if !wantOK || fk.maxTokens != wantMax || !slices.Equal(got, want) {
		t.Errorf("%d prefixes, %d tokens; want %d, %d, %v", len(got), fk.maxTokens, len(want), wantMax, wantOK)
	}
}

// fixtureBytes builds the test fixture's gazetteer file.
func fixtureBytes(t *testing.T) []byte {
	t.Helper()
	src, err := FindSources("testdata/src", "testdata/tables")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := src.Build(&buf, "fixture"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// probes are the strings to look up: every key, its word prefixes, the
// aliases and theirs, and strings next to them that are no key.
func probes(g *Gazetteer, every int) []string {
	var out []string
	add := func(k string) {
		out = append(out, k, k+" ", k+"x", k[:len(k)-1], k+" zzz")
		for j := range len(k) {
			if k[j] == ' ' {
				out = append(out, k[:j])
			}
		}
	}
	for i := 0; i < g.Keys(); i += every {
		add(g.key(i))
	}
	for k := range g.aliases {
		add(k)
	}
	return append(out, "", " ", "zzzzzz", "\x00", "\xff")
}

// startsAny is IsKeyPrefix's meaning written plainly: a name or alias key
// starts with key and a space.
func startsAny(g *Gazetteer, key string) bool {
	for i := range g.Keys() {
		if strings.HasPrefix(g.key(i), key+" ") {
			return true
		}
	}
	for k := range g.aliases {
		if strings.HasPrefix(k, key+" ") {
			return true
		}
	}
	return false
}

// checkKeyIndex compares find and IsKeyPrefix before the key index is
// built (the sorted keys' binary search) with after, and with their
// meaning: the same key index, and IsKeyPrefix exact before, never false
// for a prefix after.
func checkKeyIndex(t *testing.T, g *Gazetteer, every int, exact bool) {
	t.Helper()
	<-g.keyIxDone
	ix := g.keyIx.Load()
	for i := 0; i < g.Keys(); i += every {
		if got := g.find(g.key(i)); got != i {
			t.Fatalf("indexed find(%q) = %d, want %d", g.key(i), got, i)
		}
	}
	ps := probes(g, every)
	indexed := make([]int, len(ps))
	indexedPrefix := make([]bool, len(ps))
	for j, p := range ps {
		indexed[j], indexedPrefix[j] = g.find(p), g.IsKeyPrefix(p)
	}
	g.keyIx.Store(nil)
	defer g.keyIx.Store(ix)
	for j, p := range ps {
		if got := g.find(p); got != indexed[j] {
			t.Errorf("find(%q) = %d before the index, %d after", p, got, indexed[j])
		}
		got := g.IsKeyPrefix(p)
		if got && !indexedPrefix[j] {
			t.Errorf("IsKeyPrefix(%q) true before the index, false after", p)
		}
		if exact && got != startsAny(g, p) {
			t.Errorf("IsKeyPrefix(%q) = %v before the index; want %v", p, got, !got)
		}
	}
}

// TestKeyIndex: on the fixture, every probe, and IsKeyPrefix checked
// against a scan of all keys.
func TestKeyIndex(t *testing.T) {
	g, err := load(fixtureBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	checkKeyIndex(t, g, 1, true)
}

// TestKeyIndexBundled: on every 97th key of the bundled gazetteer.
func TestKeyIndexBundled(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the bundled gazetteer")
	}
	g, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	checkKeyIndex(t, g, 97, false)
}

// TestKeyIndexConcurrentFirstUse: lookups from several goroutines at once,
// from the moment load returns while the key index is being built, find
// what lookups find once it is built (go test -race checks the hand-over).
func TestKeyIndexConcurrentFirstUse(t *testing.T) {
	data := fixtureBytes(t)
	ref, err := load(data)
	if err != nil {
		t.Fatal(err)
	}
	<-ref.keyIxDone
	ps := probes(ref, 1)
	want := make([][]int64, len(ps))
	wantPrefix := make([]bool, len(ps))
	for j, p := range ps {
		for _, pl := range ref.Lookup(p) {
			want[j] = append(want[j], pl.ID)
		}
		wantPrefix[j] = startsAny(ref, p)
	}
	for range 10 {
		g, err := load(data)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for j := w; j < len(ps)+w; j++ {
					j := j % len(ps)
					var got []int64
					for _, pl := range g.Lookup(ps[j]) {
						got = append(got, pl.ID)
					}
					if !slices.Equal(got, want[j]) {
						t.Errorf("Lookup(%q) = %v, want %v", ps[j], got, want[j])
					}
					if wantPrefix[j] && !g.IsKeyPrefix(ps[j]) {
						t.Errorf("IsKeyPrefix(%q) = false", ps[j])
					}
				}
			})
		}
		wg.Wait()
	}
}

// FuzzReadKeys: no keys section makes readKeys panic, and what it accepts
// is keys that are unique and in byte order, with the prefixes and
// longest key a plain scan finds.
//
//	go test -run='^$' -fuzz='^FuzzReadKeys$' -fuzztime=1m ./gazetteer
func FuzzReadKeys(f *testing.F) {
	for _, keys := range [][]string{{"al bab", "al bab district", "aleppo", "aleppo governorate"}, {"a"}, {"x y", "x yz", "xy z"}} {
		var e enc
		encodeKeys(&e, keys)
		f.Add(e.b)
	}
	seed := maphash.MakeSeed()
	f.Fuzz(func(t *testing.T, b []byte) {
		fk, err := readKeys(b, seed)
		if err != nil {
			return
		}
		keys := make([]string, len(fk.off)-1)
		for i := range keys {
			keys[i] = string(fk.out[fk.off[i]:fk.off[i+1]])
		}
		want, wantMax, ok := naiveScan(seed, keys)
		got := slices.Clone(fk.hashes)
		slices.Sort(got)
		if !ok || fk.maxTokens != wantMax || !slices.Equal(slices.Compact(got), want) {
			t.Fatalf("%q: accepted with %d prefixes, %d tokens; a scan finds %d, %d, in order %v", keys, len(got), fk.maxTokens, len(want), wantMax, ok)
		}
	})
}
