package sfu

import "runtime"

func runtimeGosched() { runtime.Gosched() }
