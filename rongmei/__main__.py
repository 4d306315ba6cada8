from rongmei.cli import main

raise SystemExit(main())
