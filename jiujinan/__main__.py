from jiujinan.cli import main

raise SystemExit(main())
