//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// init names the process after its binary again when it was started as
// /proc/self/exe (reexecSelf, for runtime.keep_monitor_awake): the kernel
// names a process after the file it executes, "exe" there, and ps, top,
// pgrep -x and killall would not find "switchboard". Package init runs on
// the main thread, whose name is the process's; the kernel keeps 15 bytes.
func init() {
	comm, err := os.ReadFile("/proc/self/comm")
	if err != nil || strings.TrimSpace(string(comm)) != "exe" {
		return
	}
	name := filepath.Base(os.Args[0])
	if name == "exe" || name == "." || name == "/" {
		return
	}
	if p, err := unix.BytePtrFromString(name); err == nil {
		_ = unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(p)), 0, 0, 0)
	}
}
