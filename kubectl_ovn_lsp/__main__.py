from kubectl_ovn_lsp.cli import main

raise SystemExit(main())
