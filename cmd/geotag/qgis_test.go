package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// qgisScript loads the OGC collection at argv[1] with QGIS's own OGC API –
// Features provider, headless, reads every feature and prints how many it
// read and the count the provider reports.
const qgisScript = `
import os, sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
layer = QgsVectorLayer("url='" + sys.argv[1] + "' typename='reports'", "reports", "OAPIF")
if not layer.isValid():
    print("invalid layer")
    sys.exit(2)
n = sum(1 for _ in layer.getFeatures())
print("read %d count %d" % (n, layer.featureCount()), flush=True)
os._exit(0)  # exitQgis crashes in headless scripts; there is nothing to save
`

// QGIS's OAPIF provider (Debian's python3-qgis, headless) loads every
// report of a store of 2,100 through the real rate limit and scan budget,
// at the page size the service declares. It fails, not skips, without
// python3-qgis: scripts/test.sh installs it.
func TestQGISLoadsLargeStore(t *testing.T) {
	if _, err := os.Stat("/usr/lib/python3/dist-packages/qgis"); err != nil {
		t.Fatalf("QGIS's Python bindings are missing: apt-get install -y python3-qgis: %v", err)
	}
	base, token := startService(t)
	const n = 2100
	importMany(t, base, token, n)
	script := filepath.Join(t.TempDir(), "qgis_load.py")
	if err := os.WriteFile(script, []byte(qgisScript), 0o644); err != nil {
		t.Fatal(err)
	}
	runtime := t.TempDir()
	if err := os.Chmod(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/python3", script, base+"/ogc")
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR="+runtime, "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("QGIS: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`read (\d+) count (-?\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("QGIS printed no count:\n%s", out)
	}
	read, _ := strconv.Atoi(string(m[1]))
	count, _ := strconv.Atoi(string(m[2]))
	if read != n || count != n {
		t.Errorf("QGIS read %d features and counts %d, want %d:\n%s", read, count, n, out)
	}
}
