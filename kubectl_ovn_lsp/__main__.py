from kubectl_ovn_lsp.cli.main import main

raise SystemExit(main())
