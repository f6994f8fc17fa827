# Chapter 15 · a reference solution for the exercise.


def onboard_cy(app) -> None:
    app.agent("cy")  # 1. get-or-create: Cy is new, so the agent is created, with every feature the app has now
    app.learn("cy", "Cy's piano lesson is on Wednesday at 18:00.", ["music"])  # 2. a note in Cy's own archive
    print(app.ask("cy", "I play jazz piano."))  # 3. the agent writes it into Cy's human block
    print(app.ask("cy", "When is my piano lesson?"))  # 4. the agent searches its archive itself
