"""Plan tours: requests, visiting order, travel times, timetable and exports."""
