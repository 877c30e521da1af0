from warmcall.cli.app import main

main()
