Console.WriteLine("runner: not built yet");
