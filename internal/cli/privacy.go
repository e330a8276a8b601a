package cli

// privacyCommands are the commands of servus privacy: a person's data
// exported (GDPR article 15) and erased (article 17).
func privacyCommands() []*command {
	return []*command{
		privacyExportCommand(),
	}
}
