"""The command line: parse flags into options, run one command, render its document, map errors to exit codes."""
