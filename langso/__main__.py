from langso.cli import main

main()
