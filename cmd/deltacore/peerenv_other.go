//go:build !unix

package main

// reexec does nothing where there is no exec(2).
func reexec(env []string) {}
