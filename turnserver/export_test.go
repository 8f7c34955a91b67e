package turnserver

// SelfSignedFor is selfSignedFor for the external tests.
var SelfSignedFor = selfSignedFor
