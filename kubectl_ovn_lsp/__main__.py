from kubectl_ovn_lsp.cli.entry import main

raise SystemExit(main())
