package web

// DemoLogin is what the sign-in page lists in demo mode: the demo accounts and their one password.
type DemoLogin struct {
	Password string
	Accounts []DemoAccount
}
