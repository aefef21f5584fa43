package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestDebianPackageHoldsBinaryUnitConfigAndUser(t *testing.T) {
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Fatalf("dpkg-deb is needed to build the package: %v", err)
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "deb.sh", "1.2.3", out)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("deb.sh: %v\n%s", err, b)
	}
	deb := strings.TrimSpace(string(b[strings.LastIndexByte(strings.TrimSpace(string(b)), '\n')+1:]))
	if filepath.Dir(deb) != out || !strings.HasPrefix(filepath.Base(deb), "walnotify_1.2.3_") {
		t.Fatalf("package path %q", deb)
	}
	list, err := exec.Command("dpkg-deb", "-c", deb).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"-rwxr-xr-x root/root", "./usr/bin/walnotify",
		"./lib/systemd/system/walnotify.service",
		"-rw-r----- root/root", "./etc/walnotify/walnotify.toml",
		"./usr/share/doc/walnotify/copyright",
	} {
		if !strings.Contains(string(list), want) {
			t.Errorf("package lacks %q:\n%s", want, list)
		}
	}
	fields, err := exec.Command("dpkg-deb", "-f", deb, "Package", "Version", "Depends").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(fields); !strings.Contains(got, "Package: walnotify") || !strings.Contains(got, "Version: 1.2.3") || !strings.Contains(got, "Depends: adduser") {
		t.Errorf("control fields:\n%s", got)
	}
	dir := t.TempDir()
	if b, err := exec.Command("dpkg-deb", "-e", deb, dir).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -e: %v\n%s", err, b)
	}
	postinst, _ := os.ReadFile(filepath.Join(dir, "postinst"))
	conffiles, _ := os.ReadFile(filepath.Join(dir, "conffiles"))
	if !strings.Contains(string(postinst), "adduser --system --group") || !strings.Contains(string(postinst), "chown root:walnotify /etc/walnotify/walnotify.toml") {
		t.Errorf("postinst does not create the walnotify user and give it the config:\n%s", postinst)
	}
	if strings.TrimSpace(string(conffiles)) != "/etc/walnotify/walnotify.toml" {
		t.Errorf("conffiles = %q", conffiles)
	}
}

func TestUnitIsHardened(t *testing.T) {
	unit, err := os.ReadFile("walnotify.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ExecStart=/usr/bin/walnotify run -c /etc/walnotify/walnotify.toml", "User=walnotify",
		"NoNewPrivileges=yes", "CapabilityBoundingSet=\n", "ProtectSystem=strict", "PrivateDevices=yes",
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
		"MemoryDenyWriteExecute=yes", "ProtectKernelTunables=yes", "RestrictNamespaces=yes",
	} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("unit lacks %q", want)
		}
	}
	// systemd's own verdict, where systemd is installed (it is on this project's machines;
	// a container without systemd has no unit to run either).
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("systemd-analyze is needed to measure the unit's exposure (Debian: systemd): %v", err)
		}
		t.Logf("systemd-analyze not installed: exposure score not measured")
		return
	}
	b, err := exec.Command(analyze, "security", "--offline=true", "./walnotify.service").CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, b)
	}
	text := string(b)
	i := strings.Index(text, "Overall exposure level for walnotify.service: ")
	if i < 0 {
		t.Fatalf("no exposure level in:\n%s", text)
	}
	fields := strings.Fields(text[i+len("Overall exposure level for walnotify.service: "):])
	score, err := strconv.ParseFloat(fields[0], 64)
	if err != nil || score >= 3 {
		t.Errorf("exposure %q, want under 3", fields[0])
	}
}
