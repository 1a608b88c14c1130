Console.WriteLine("sockets: not built yet");
