from causeway_cli.main import main

raise SystemExit(main())
