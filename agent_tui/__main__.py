from agent_tui.cli import main

main()
