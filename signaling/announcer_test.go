	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
k	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
y	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
-	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
y	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
L	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
y	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
M	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
x	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
[	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
]	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
*	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
L	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
M	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
6	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
4	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
*	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
L	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
W	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
M	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
L	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
k	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
k	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
E	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
+	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
+	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
D	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
C	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
q	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
'	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
;	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
q	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
T	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
A	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
C	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
*	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
T	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
&	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
L	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
A	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
L	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
k	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
q	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
[	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
]	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
C	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
h	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
E	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
O	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
E	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
I	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
D	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
N	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
B	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
k	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
E	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
O	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
C	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
E	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
O	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
B	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
E	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
O	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
D	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
/	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
p	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
L	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
k	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
U	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
k	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
[	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
]	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
`	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
O	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
B	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
b	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
`	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
`	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
O	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
u	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
d	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
c	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
m	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
:	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
C	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
r	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
`	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
i	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
!	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
2	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
|	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
|	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
[	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
0	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
]	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
!	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
[	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
0	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
]	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
|	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
|	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
[	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
1	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
]	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
!	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
=	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
[	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
1	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
]	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
{	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
F	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
l	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
f	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
(	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
s	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
e	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
%	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
%	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
v	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
"	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
.	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
g	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
o	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
,	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
 	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
w	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
a	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
n	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
t	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
)	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
		w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
}	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped

	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(EvUserOnline, "bob", "Bob")
	a.announce(EvUserOnline, "carol", "Carol")
	a.announce(EvUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(EvUserOnline, "dave", "Dave") // after stop: dropped
