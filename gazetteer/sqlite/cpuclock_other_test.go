//go:build !linux

package sqlite_test

// threadCPU is not available here (see cpuclock_linux_test.go).
func threadCPU() (int64, bool) { return 0, false }

// processCPU is not available here (see cpuclock_linux_test.go).
func processCPU() (int64, bool) { return 0, false }
