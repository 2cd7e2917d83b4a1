from agent_tui.entry import main

main()
