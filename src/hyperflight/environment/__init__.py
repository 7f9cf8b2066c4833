"""Environment models: Earth shape and rotation, gravity, atmosphere. Pure, SI, compiled."""
